package io.shoplake.quality;

import io.shoplake.core.DeltaWrites;
import io.shoplake.core.LostCheckpoint;
import io.shoplake.core.Tables;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The pipeline event log, {@code quality.pipeline_events}: one row per job and micro-batch
 * saying where every input row went. For an apply job, {@code rows_in = applied + stale +
 * duplicate + quarantined + kafka_tombstones}, which {@code shoplake check reconcile} verifies;
 * the apply jobs append their row with the batch. Every other job's rows come from {@link
 * BatchReports}: what the batch read, less what it quarantined, counts as applied.
 */
public final class PipelineEvents {
  public static final StructType SCHEMA = new StructType()
      .add("job", DataTypes.StringType, false)
      .add("batch_id", DataTypes.LongType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("duration_ms", DataTypes.LongType, false)
      .add("rows_in", DataTypes.LongType, false)
      .add("applied", DataTypes.LongType, false)
      .add("stale", DataTypes.LongType, false)
      .add("duplicate", DataTypes.LongType, false)
      .add("quarantined", DataTypes.LongType, false)
      .add("kafka_tombstones", DataTypes.LongType, false)
      .add("quarantined_by_rule", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("warned_by_rule", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("source_lag_ms", DataTypes.LongType, true);

  /**
   * Where one batch's rows went. {@code applied} counts changes whose key's newest change in the
   * batch was applied (older changes of that key in the batch are folded into it); {@code stale}
   * changes were older than what the target held, {@code duplicate} ones already applied.
   */
  public record BatchReport(String job, long batchId, Timestamp startedAt, long durationMs, long rowsIn, long applied,
      long stale, long duplicate, long quarantined, long kafkaTombstones, Map<String, Long> quarantinedByRule,
      Map<String, Long> warnedByRule, Long sourceLagMs) {}

  private PipelineEvents() {}

  /** Appends once per (job, batch), so a replayed batch is not reported twice. */
  public static final io.shoplake.core.TableDefinition TABLE =
      io.shoplake.core.TableDefinition.of(Tables.PIPELINE_EVENTS, SCHEMA);

  public static void append(SparkSession spark, Tables tables, BatchReport r) {
    DeltaWrites.appendOnce(spark.createDataFrame(List.of(row(r)), SCHEMA).coalesce(1),
        tables, Tables.PIPELINE_EVENTS, writer(r.job()), r.batchId());
    PipelineMetrics.get().reported(r);
  }

  /** The report as a row of the table. */
  static Row row(BatchReport r) {
    return RowFactory.create(r.job(), r.batchId(), r.startedAt(), r.durationMs(), r.rowsIn(), r.applied(), r.stale(),
        r.duplicate(), r.quarantined(), r.kafkaTombstones(), scalaMap(r.quarantinedByRule()),
        scalaMap(r.warnedByRule()), r.sourceLagMs());
  }

  /** The batch reports a job appends. */
  public static LostCheckpoint.Appended appendedBy(Tables tables, String job) {
    return new LostCheckpoint.Appended(Tables.PIPELINE_EVENTS, writer(job));
  }

  private static DeltaWrites.Writer writer(String job) {
    return DeltaWrites.Writer.rowsWhere("job", job);
  }

  private static scala.collection.Map<String, Long> scalaMap(Map<String, Long> map) {
    return scala.jdk.javaapi.CollectionConverters.asScala(map);
  }
}
