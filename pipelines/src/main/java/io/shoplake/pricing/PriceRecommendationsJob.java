package io.shoplake.pricing;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.shoplake.core.Cycles;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.SilverReads;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.inventory.ProductAvailabilityJob;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Recommends a price per product from demand, stock cover and guardrails ({@link PricingRule}).
 * Shoplake only recommends: nothing here writes to the shop.
 *
 * <p>Reads: {@code silver.products}, {@code silver.orders}, {@code silver.order_items},
 * {@code silver.clickstream} (when it exists), {@code gold.product_availability},
 * {@code gold.price_recommendations} (the price in effect). Writes:
 * {@code gold.price_recommendations} (MERGE by product id, change feed on, for
 * {@code serving.prices}). Trigger: one cycle per run ({@link Cycles}). Run:
 * {@code shoplake run gold.price_recommendations}.
 */
public final class PriceRecommendationsJob implements Job {
  private final PricingSettings settings;

  public PriceRecommendationsJob(PricingSettings settings) {
    this.settings = settings;
  }

  public static final String NAME = "gold.price_recommendations";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SCHEDULED).reads(Tables.SILVER_ORDERS, Tables.SILVER_ORDER_ITEMS,
        Tables.SILVER_PRODUCTS, Tables.SILVER_CLICKSTREAM, Tables.GOLD_PRODUCT_AVAILABILITY).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.withChangeFeed(Tables.GOLD_PRICE_RECOMMENDATIONS, PriceRecommendations.SCHEMA);
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    SparkSession spark = ctx.spark();
    return Cycles.start(ctx, NAME, asOf -> cycle(spark, tables, settings, asOf));
  }

  public static void cycle(SparkSession spark, Tables tables, PricingSettings settings, Instant asOf) {
    // Cancelled orders were never sales; their lines count neither as purchases nor as velocity.
    Dataset<Row> orders = SilverReads.live(spark, tables, Tables.SILVER_ORDERS)
        .filter(col("status").notEqual("cancelled")).select("order_id", "created_at");
    Dataset<Row> lines = SilverReads.live(spark, tables, Tables.SILVER_ORDER_ITEMS)
        .select("order_id", "product_id", "quantity").join(orders, "order_id");
    Dataset<Row> signals = DemandSignals.of(SilverReads.clickstream(spark, tables), lines, settings, asOf);
    Dataset<Row> availability = SilverReads.orEmpty(spark, tables,
        ProductAvailabilityJob.output());
    DeltaTable target = TableAccess.of(spark, tables).forChange(Tables.GOLD_PRICE_RECOMMENDATIONS);
    Dataset<Row> recommendations = PriceRecommendations.compute(SilverReads.live(spark, tables, Tables.SILVER_PRODUCTS),
        signals, availability, target.toDF(), settings, asOf).localCheckpoint();
    target.as("t")
        .merge(recommendations.as("s"), "t.product_id = s.product_id")
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }
}
