package io.shoplake.anomalies;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.DeltaWrites;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.LostCheckpoint;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.serving.ServingTopics;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Watches the shop's sources and the pipeline's own batches for what an engineer should hear
 * of: a topic's volume far above or below its baseline (the same time in earlier seasons, so a
 * daily peak is not news), a topic gone silent, and a job quarantining, seeing duplicates or
 * receiving changes out of order at a rate above its limit. Each incident alerts once when it
 * opens and once when it resolves ({@link AnomalyDetector}).
 *
 * <p>Reads: every bronze table and the records ingest quarantined as unreadable in {@code
 * quality.quarantine} (records per topic, by Kafka timestamp), and {@code
 * quality.pipeline_events} (each job's batches, by start). Writes: {@code quality.anomaly_counts}
 * (the counts per bucket, appended once per batch), {@code quality.alerts} (the transitions) and
 * the topic {@code shoplake.anomalies.topic} (the same, key = subject; at least once, so a
 * consumer drops repeats by {@code alert_id} and {@code state}). Run: {@code shoplake run
 * ops.anomalies}.
 */
public final class AnomaliesJob implements Job {
  public static final String NAME = "ops.anomalies";
  private final AnomalySettings settings;
  private final String ingestJob;

  /**
   * @param ingestJob the job that reads the source topics into bronze: the records it cannot
   *     read are judged per topic, by when they reached Kafka, and not again as its quarantine rate
   */
  public AnomaliesJob(AnomalySettings settings, String ingestJob) {
    this.settings = settings;
    this.ingestJob = ingestJob;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    List<TableId> reads = new ArrayList<>(topics.sources().stream().map(Tables::bronzeFor).toList());
    reads.add(Tables.QUARANTINE);
    reads.add(Tables.PIPELINE_EVENTS);
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(reads.toArray(TableId[]::new))
        .writes(AnomalyTables.COUNTS, AnomalyTables.ALERTS).writesTopics(settings.topic());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    KafkaSettings kafka = ctx.kafka();
    ServingTopics.ensureEvents(kafka.connection(), settings.topic(), kafka.servingTopicPartitions());
    Dataset<Row> signals = pipelineSignals(ctx.readDeltaStream(Tables.PIPELINE_EVENTS), ingestJob)
        .unionByName(unreadableRecords(ctx.readDeltaStream(Tables.QUARANTINE), ingestJob));
    for (TableId bronze : ctx.tables().bronzeTables()) signals = signals.unionByName(sourceRecords(ctx.readDeltaStream(bronze)));
    AnomalyBatches batches = new AnomalyBatches(ctx.tables(), ctx.access(), settings, kafka.connection());
    List<LostCheckpoint.Appended> appended = List.of(
        new LostCheckpoint.Appended(Tables.ANOMALY_COUNTS, DeltaWrites.Writer.wholeTable()),
        new LostCheckpoint.Appended(Tables.ALERTS, DeltaWrites.Writer.wholeTable()));
    return ctx.startAppendingForEachBatch(signals, NAME, appended, batches::process);
  }

  /** Each bronze record, counted by when its producer sent it. */
  static Dataset<Row> sourceRecords(Dataset<Row> bronze) {
    return bronze.select(lit(SignalCounts.RECORDS).as("signal"), col("topic").as("subject"),
        coalesce(col("kafka_timestamp"), col("ingest_time")).as("ts"), lit(1L).as("n"));
  }

  /** Each record ingest could not read: a record its topic carried, and a malformed one. */
  static Dataset<Row> unreadableRecords(Dataset<Row> quarantine, String ingestJob) {
    return quarantine.filter(col("stage").equalTo(ingestJob).and(col("kafka_timestamp").isNotNull()))
        .select(col("topic"), col("kafka_timestamp"), explode(array(lit(SignalCounts.RECORDS), lit(SignalCounts.MALFORMED)))
            .as("signal"))
        .select(col("signal"), col("topic").as("subject"), col("kafka_timestamp").as("ts"), lit(1L).as("n"));
  }

  /**
   * Each job's batch (this one's aside): its input rows and what became of them, by batch
   * start. Ingest's quarantine is counted per topic instead ({@link #unreadableRecords}).
   */
  static Dataset<Row> pipelineSignals(Dataset<Row> pipelineEvents, String ingestJob) {
    Column quarantined = when(col("job").equalTo(ingestJob), lit(0L)).otherwise(col("quarantined"));
    return pipelineEvents.filter(col("job").notEqual(NAME))
        .select(col("job"), col("started_at"), explode(array(
            struct(lit(SignalCounts.ROWS_IN).as("signal"), col("rows_in").as("n")),
            struct(lit(SignalCounts.QUARANTINED).as("signal"), quarantined.as("n")),
            struct(lit(SignalCounts.DUPLICATE).as("signal"), col("duplicate").as("n")),
            struct(lit(SignalCounts.STALE).as("signal"), col("stale").as("n")))).as("c"))
        .select(col("c.signal").as("signal"), col("job").as("subject"), col("started_at").as("ts"), col("c.n").as("n"));
  }
}
