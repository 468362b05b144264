package io.shoplake.pricing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One recommendation per live product: its signals, stock and the rule's answer. */
public final class PriceRecommendations {
  private static final DataType MONEY = DataTypes.createDecimalType(12, 2);
  public static final StructType WINDOW_SIGNALS = new StructType()
      .add("views", DataTypes.LongType)
      .add("carts", DataTypes.LongType)
      .add("purchases", DataTypes.LongType)
      .add("conversion", DataTypes.DoubleType);

  public static final StructType SCHEMA = new StructType()
      .add("product_id", DataTypes.LongType, false)
      // The shop's own price (silver.products): floor and ceiling are relative to it.
      .add("list_price", MONEY)
      // The price in effect: the previous recommendation, else the list price. The step is from it.
      .add("current_price", MONEY)
      .add("cost", MONEY)
      .add("recommended_price", MONEY)
      .add("change_pct", DataTypes.createDecimalType(8, 2))
      .add("demand", DataTypes.createMapType(DataTypes.StringType, WINDOW_SIGNALS))
      .add("signal_window", DataTypes.StringType)
      .add("views", DataTypes.LongType)
      .add("carts", DataTypes.LongType)
      .add("purchases", DataTypes.LongType)
      .add("conversion", DataTypes.DoubleType)
      .add("sales_velocity", DataTypes.DoubleType)
      .add("available", DataTypes.LongType)
      .add("stock_cover_days", DataTypes.DoubleType)
      .add("reason_codes", DataTypes.createArrayType(DataTypes.StringType))
      // The pricing cycle this recommendation belongs to; reruns within it step from the same price.
      .add("cycle_start", DataTypes.TimestampType)
      .add("computed_at", DataTypes.TimestampType)
      // The cycle's as-of time in epoch ms: grows with every cycle.
      .add("version", DataTypes.LongType, false);

  private PriceRecommendations() {}

  /**
   * @param products live silver.products (product_id, price, cost)
   * @param signals {@link DemandSignals#of}
   * @param availability gold.product_availability (product_id, available); a product without a
   *     row has no stock
   * @param previous gold.price_recommendations as it stands: the price in effect is its
   *     recommendation from an earlier cycle, or the price that a rerun of this cycle started from
   */
  public static Dataset<Row> compute(Dataset<Row> products, Dataset<Row> signals, Dataset<Row> availability,
      Dataset<Row> previous, PricingSettings p, Instant asOf) {
    Timestamp cycleStart = Timestamp.from(p.cycleStart(asOf));
    // A product without a positive price cannot be priced relative to it (silver drops such rows anyway).
    Dataset<Row> inputs = products.filter(col("price").gt(0)).select(col("product_id"), col("price").as("list_price"), col("cost"))
        .join(signals, "product_id", "left")
        .join(availability.select(col("product_id"), col("available")), "product_id", "left")
        .join(previous.select(col("product_id"), when(col("cycle_start").equalTo(lit(cycleStart)), col("current_price"))
            .otherwise(col("recommended_price")).as("previous_price")), "product_id", "left")
        .select(col("product_id"), col("list_price"), coalesce(col("previous_price"), col("list_price")).as("current_price"),
            col("cost"), col("demand"), coalesce(col("views"), lit(0L)).as("views"),
            coalesce(col("carts"), lit(0L)).as("carts"), coalesce(col("purchases"), lit(0L)).as("purchases"),
            coalesce(col("sales_velocity"), lit(0.0)).as("sales_velocity"),
            coalesce(col("available").cast("long"), lit(0L)).as("available"));
    String window = p.signalWindow();
    Timestamp computedAt = Timestamp.from(asOf);
    long version = asOf.toEpochMilli();
    return inputs.map((MapFunction<Row, Row>) r -> {
      PricingRule.Signals s = new PricingRule.Signals(r.getDecimal(1), r.getDecimal(2), r.getDecimal(3),
          r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(9), r.getDouble(8));
      PricingRule.Recommendation rec = PricingRule.recommend(s, p);
      return RowFactory.create(r.getLong(0), s.listPrice(), s.currentPrice(), s.cost(), rec.price(), rec.changePct(),
          r.get(4), window, s.views(), s.carts(), s.purchases(), rec.conversion(),
          s.salesVelocity(), s.available(), rec.stockCoverDays(),
          rec.reasons().toArray(String[]::new), cycleStart, computedAt, version);
    }, Encoders.row(SCHEMA));
  }
}
