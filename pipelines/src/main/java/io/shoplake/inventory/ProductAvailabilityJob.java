package io.shoplake.inventory;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.PipelineMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Available-to-promise per product: the totals over a product's locations.
 *
 * <p>Reads: the {@code gold.inventory_availability} change feed. Writes:
 * {@code gold.product_availability} (each product a batch touched is recomputed from all its
 * locations as the table holds them now, and MERGEd). A job of its own, after the per-location
 * table rather than beside it: its readers (price recommendations, recommendation scoring) run
 * hourly, and its MERGE had made every per-location batch, the one the freshness path waits
 * on, a second longer. Trigger: the configured one. Run:
 * {@code shoplake run gold.product_availability}.
 */
public final class ProductAvailabilityJob implements Job {
  public static final String NAME = "gold.product_availability";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.GOLD_INVENTORY_AVAILABILITY).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.of(Tables.GOLD_PRODUCT_AVAILABILITY, Availability.PRODUCT_SCHEMA);
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.GOLD_INVENTORY_AVAILABILITY);
    return ctx.startForEachBatch(changes, NAME, (batch, batchId) -> updateBatch(ctx.spark(), tables, batch));
  }

  /** Recomputes the products that {@code changes} (change-feed rows of the per-location table) touch. */
  public static void updateBatch(SparkSession spark, Tables tables, Dataset<Row> changes) {
    Dataset<Row> touched = changes.select("product_id").distinct().localCheckpoint();
    if (touched.isEmpty()) return;
    // The table's locations may be newer than this batch's changes: totals computed from them are
    // what a later batch would compute anyway, and a location's version never goes back, so a
    // product's (the newest of its locations) never does either. A replayed batch recomputes the
    // same totals; ">=" lets it rewrite them unchanged rather than count as a conflict.
    Dataset<Row> locations = TableAccess.of(spark, tables).read(Tables.GOLD_INVENTORY_AVAILABILITY)
        .join(touched, "product_id");
    TableAccess.of(spark, tables).forChange(Tables.GOLD_PRODUCT_AVAILABILITY).as("t")
        .merge(Availability.perProduct(locations).as("s"), "t.product_id = s.product_id")
        .whenMatched("s.version >= t.version").updateAll()
        .whenNotMatched().insertAll()
        .execute();
    // Off the availability path, like the totals: for the shop's metrics.
    PipelineMetrics.get().outOfStock(TableAccess.of(spark, tables).read(Tables.GOLD_INVENTORY_AVAILABILITY)
        .filter("available <= 0 AND NOT is_deleted").count());
  }
}
