package io.shoplake.checks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.clickstream.ClickEventContract;
import io.shoplake.clickstream.ClickEvents;
import io.shoplake.clickstream.ClickstreamJob;
import io.shoplake.clickstream.ClickstreamSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Proves {@code silver.clickstream} accounted for every {@code bronze.clickstream} record, record
 * by record rather than from counters: the streaming dedupe drops repeats before any batch code
 * sees them, so no batch could count them. Each bronze record is quarantined (by its Kafka
 * coordinates), or its event id is in silver (applied, or a repeat of an applied event), or it
 * repeats an event quarantined under other coordinates (a bot's resent click). Anything else was
 * lost. Silver holds each event id once. Meaningful once the job caught up.
 */
public final class ClickstreamReconciliation {
  /** {@code lost} names up to ten unaccounted records as topic/partition/offset. */
  public record Result(long bronzeRows, long applied, long duplicate, long quarantined, List<String> lost,
      List<String> problems) {}

  private ClickstreamReconciliation() {}

  public static Result check(SparkSession spark, Tables tables, ClickEventContract contract,
      ClickstreamSettings settings) {
    Dataset<Row> quarantine = TableAccess.of(spark, tables).read(Tables.QUARANTINE)
        .filter(col("stage").equalTo(ClickstreamJob.NAME));
    Dataset<Row> quarantinedAt = quarantine.select("topic", "partition", "offset").distinct()
        .withColumn("_quarantined", lit(true));
    Dataset<Row> records = ClickEvents.decode(TableAccess.of(spark, tables).read(Tables.bronzeFor(tables.topics().clickstream())),
            contract, settings)
        .select(col("event_id"), col("_topic").as("topic"), col("_partition").as("partition"), col("_offset").as("offset"))
        .join(quarantinedAt, new String[] {"topic", "partition", "offset"}, "left")
        .persist();
    try {
      Dataset<Row> silverIds = TableAccess.of(spark, tables).read(Tables.SILVER_CLICKSTREAM)
          .select("event_id").distinct().withColumn("_in_silver", lit(true));
      Dataset<Row> quarantinedIds = records.filter(col("_quarantined").isNotNull().and(col("event_id").isNotNull()))
          .select("event_id").distinct().withColumn("_id_quarantined", lit(true));
      Dataset<Row> classified = records.join(silverIds, new String[] {"event_id"}, "left")
          .join(quarantinedIds, new String[] {"event_id"}, "left")
          .persist();
      try {
        Column quarantined = col("_quarantined").isNotNull();
        Column inSilver = not(quarantined).and(col("_in_silver").isNotNull());
        Column repeatOfQuarantined = not(quarantined).and(col("_in_silver").isNull())
            .and(col("_id_quarantined").isNotNull());
        Row totals = classified.agg(count(lit(1)), total(quarantined), total(inSilver), total(repeatOfQuarantined),
            countDistinct(when(inSilver, col("event_id")))).first();
        long bronzeRows = totals.getLong(0);
        long quarantinedRows = totals.getLong(1);
        long applied = totals.getLong(4);
        long duplicate = totals.getLong(2) - applied + totals.getLong(3);
        List<String> lost = classified
            .filter(not(quarantined).and(col("_in_silver").isNull()).and(col("_id_quarantined").isNull()))
            .orderBy("topic", "partition", "offset").limit(10)
            .select(concat_ws("/", col("topic"), col("partition"), col("offset"))).as(Encoders.STRING()).collectAsList();
        long lostRows = bronzeRows - quarantinedRows - applied - duplicate;
        long quarantineOnly = quarantinedAt.join(records, new String[] {"topic", "partition", "offset"}, "left_anti")
            .count();
        long silverOnly = silverIds.join(records.select("event_id").distinct(), new String[] {"event_id"}, "left_anti")
            .count();

        List<String> problems = new ArrayList<>();
        if (lostRows > 0) problems.add(lostRows + " bronze records neither in silver nor quarantined, e.g. " + lost);
        if (quarantineOnly > 0) {
          problems.add(quarantineOnly + " quarantined records of " + ClickstreamJob.NAME + " have no bronze record");
        }
        if (silverOnly > 0) problems.add(silverOnly + " silver events have no bronze record");
        long silverRows = TableAccess.of(spark, tables).read(Tables.SILVER_CLICKSTREAM).count();
        long silverEvents = silverIds.count();
        if (silverRows > silverEvents) {
          problems.add((silverRows - silverEvents) + " silver rows repeat an event id another row holds");
        }
        return new Result(bronzeRows, applied, duplicate, quarantinedRows, lost, problems);
      } finally {
        classified.unpersist();
      }
    } finally {
      records.unpersist();
    }
  }

  /** 0, not null, over an empty bronze table. */
  private static Column total(Column condition) {
    return coalesce(sum(when(condition, 1L).otherwise(0L)), lit(0L));
  }
}
