package io.shoplake.pricing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Demand per product over sliding windows that end at the cycle's as-of time: views and carts
 * from the clickstream, purchases (orders that contained the product, cancelled ones not
 * counted) from silver orders, and units sold per day over the velocity window.
 */
public final class DemandSignals {
  private DemandSignals() {}

  /**
   * @param clicks silver.clickstream (product_id, event_type, event_ts)
   * @param lines live order lines joined to live orders that are not cancelled
   *     (order_id, product_id, quantity, created_at)
   * @return product_id, demand (map window → struct(views, carts, purchases, conversion)),
   *     views, carts, purchases (the signal window), sales_velocity
   */
  public static Dataset<Row> of(Dataset<Row> clicks, Dataset<Row> lines, PricingSettings p, Instant asOf) {
    Timestamp end = Timestamp.from(asOf);
    List<Column> clickAggs = new ArrayList<>();
    List<Column> saleAggs = new ArrayList<>();
    for (String w : p.windows()) {
      Column in = inWindow(col("event_ts"), asOf, PricingSettings.windowMillis(w));
      clickAggs.add(sum(when(in.and(col("event_type").equalTo("view")), 1L).otherwise(0L)).as("views_" + w));
      clickAggs.add(sum(when(in.and(col("event_type").equalTo("add_to_cart")), 1L).otherwise(0L)).as("carts_" + w));
      Column sold = inWindow(col("created_at"), asOf, PricingSettings.windowMillis(w));
      saleAggs.add(count_distinct(when(sold, col("order_id"))).as("purchases_" + w));
    }
    saleAggs.add(sum(when(inWindow(col("created_at"), asOf, p.velocityWindowMillis()), col("quantity")).otherwise(0))
        .cast("double").divide(p.velocityWindowMillis() / 86_400_000.0).as("sales_velocity"));

    Dataset<Row> viewed = clicks.filter(col("product_id").isNotNull().and(col("event_ts").leq(lit(end))))
        .groupBy("product_id").agg(clickAggs.get(0), clickAggs.subList(1, clickAggs.size()).toArray(Column[]::new));
    Dataset<Row> sold = lines.filter(col("created_at").leq(lit(end)))
        .groupBy("product_id").agg(saleAggs.get(0), saleAggs.subList(1, saleAggs.size()).toArray(Column[]::new));
    Dataset<Row> both = viewed.join(sold, "product_id", "full_outer");

    List<Column> entries = new ArrayList<>();
    for (String w : p.windows()) {
      Column views = coalesce(col("views_" + w), lit(0L));
      Column purchases = coalesce(col("purchases_" + w), lit(0L));
      entries.add(lit(w));
      entries.add(struct(views.as("views"), coalesce(col("carts_" + w), lit(0L)).as("carts"), purchases.as("purchases"),
          when(views.gt(0), purchases.cast("double").divide(views)).as("conversion")));
    }
    String s = p.signalWindow();
    return both.select(col("product_id"), map(entries.toArray(Column[]::new)).as("demand"),
        coalesce(col("views_" + s), lit(0L)).as("views"), coalesce(col("carts_" + s), lit(0L)).as("carts"),
        coalesce(col("purchases_" + s), lit(0L)).as("purchases"),
        coalesce(col("sales_velocity"), lit(0.0)).as("sales_velocity"));
  }

  /** Within (asOf − window, asOf]. */
  private static Column inWindow(Column ts, Instant asOf, long windowMillis) {
    return ts.gt(lit(Timestamp.from(asOf.minusMillis(windowMillis)))).and(ts.leq(lit(Timestamp.from(asOf))));
  }
}
