package io.shoplake.funnel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KeyedReplace;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.PipelineMetrics;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Revenue per minute and channel ({@link RevenuePerMinute}), incrementally.
 *
 * <p>Reads: {@code silver.orders} change feed. Writes: {@code gold.revenue_per_minute} (every
 * minute×channel a changed order belongs to, before or after the change, is recomputed from
 * silver.orders and MERGEd: a cancellation or a corrected total moves the figure of its minute,
 * and a replay changes nothing). Trigger: the configured one. Run: {@code shoplake run gold.revenue_per_minute}.
 */
public final class RevenuePerMinuteJob implements Job {
  public static final String NAME = "gold.revenue_per_minute";
  private static final String[] KEYS = {"minute", "channel"};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.SILVER_ORDERS).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.of(Tables.GOLD_REVENUE_PER_MINUTE, RevenuePerMinute.SCHEMA);
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.SILVER_ORDERS);
    return ctx.startForEachBatch(changes, NAME, (batch, batchId) -> updateBatch(ctx.spark(), tables, batch));
  }

  /** Recomputes the minute×channels that {@code changes} (change-feed rows of orders) touch. */
  public static void updateBatch(SparkSession spark, Tables tables, Dataset<Row> changes) {
    Dataset<Row> touched = changes.filter(col("created_at").isNotNull())
        .select(RevenuePerMinute.minuteOf(col("created_at")).as("minute"),
            RevenuePerMinute.channelOf(col("channel")).as("channel"))
        .distinct().localCheckpoint();
    if (touched.isEmpty()) return;
    TableAccess access = TableAccess.of(spark, tables);
    Dataset<Row> orders = access.read(Tables.SILVER_ORDERS)
        .withColumn("_minute", RevenuePerMinute.minuteOf(col("created_at")))
        .withColumn("_channel", RevenuePerMinute.channelOf(col("channel")))
        .join(touched.withColumnRenamed("minute", "_minute").withColumnRenamed("channel", "_channel"),
            new String[] {"_minute", "_channel"})
        .drop("_minute", "_channel");
    Dataset<Row> slice = access.read(Tables.GOLD_REVENUE_PER_MINUTE).join(touched, KEYS);
    KeyedReplace.replace(access, Tables.GOLD_REVENUE_PER_MINUTE, RevenuePerMinute.SCHEMA, List.of(KEYS),
        RevenuePerMinute.compute(orders), slice);
    countPlaced(changes);
  }

  /**
   * Orders first seen in this batch (inserted into silver.orders), for the shop's metrics:
   * counted once the batch's figures are written.
   */
  private static void countPlaced(Dataset<Row> changes) {
    for (Row r : changes.filter(col("_change_type").equalTo("insert").and(col(CdcColumns.IS_DELETED).equalTo(false))
            .and(col("status").notEqual("cancelled")).and(col("created_at").isNotNull()))
        .groupBy(RevenuePerMinute.channelOf(col("channel")).as("channel"))
        .agg(count(lit(1)), sum("total")).collectAsList()) {
      PipelineMetrics.get().ordersPlaced(r.getString(0), r.getLong(1), r.isNullAt(2) ? 0 : r.getDecimal(2).doubleValue());
    }
  }
}
