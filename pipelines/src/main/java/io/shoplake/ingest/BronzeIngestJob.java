package io.shoplake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.DeltaWrites;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.LostCheckpoint;
import io.shoplake.core.ParallelWrites;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.Quarantine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Lands every source topic (CDC, outbox, clickstream) in its append-only bronze table.
 *
 * <p>Reads: Kafka topics of {@code shoplake.sources}. Writes: {@code bronze.<topic>} and
 * {@code quality.quarantine} (records that cannot be read, or over {@code
 * shoplake.sources.max-record-bytes}). Trigger: the configured one. Run: {@code shoplake run bronze.ingest}.
 *
 * <p>Exactly once: Kafka offsets live in the checkpoint, and each table write is an
 * idempotent Delta append keyed by the micro-batch id, so a batch replayed after a crash
 * adds nothing twice.
 */
public final class BronzeIngestJob implements Job {
  public static final String NAME = "bronze.ingest";
  private static final long ROWS_PER_FILE = 500_000;
  private final long maxRecordBytes;

  public BronzeIngestJob(IngestSettings settings) {
    this.maxRecordBytes = settings.maxRecordBytes();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).readsTopics(topics.sources()).writes(outputs(topics));
  }

  public static List<TableDefinition> outputs(Topics topics) {
    List<TableDefinition> defs = new java.util.ArrayList<>(
        topics.sources().stream().map(Tables::bronzeFor).map(id -> TableDefinition.of(id, BronzeRecords.SCHEMA)).toList());
    defs.add(Quarantine.TABLE);
    return defs;
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    KafkaSettings settings = ctx.kafka();
    Dataset<Row> kafka = ctx.spark().readStream()
        .format("kafka")
        .options(settings.connection().sparkOptions())
        .option("subscribe", String.join(",", tables.topics().sources()))
        .option("startingOffsets", settings.startingOffsets())
        .option("maxOffsetsPerTrigger", settings.maxOffsetsPerTrigger())
        // Spark reuses consumers across batches; a consumer's idle prefetch is held by the broker
        // for fetch.max.wait.ms (500 ms by default) and the next batch's task waits it out, per
        // partition. Short waits keep a small batch from costing seconds.
        .option("kafka.fetch.max.wait.ms", settings.fetchMaxWaitMs())
        // A topic deleted and recreated must stop the job rather than skip data silently.
        .option("failOnDataLoss", "true")
        .load();
    List<LostCheckpoint.Appended> appended = new ArrayList<>();
    for (TableId bronze : tables.bronzeTables()) {
      appended.add(new LostCheckpoint.Appended(bronze, DeltaWrites.Writer.wholeTable()));
    }
    appended.add(Quarantine.appendedBy(tables, NAME));
    return ctx.startAppendingForEachBatch(kafka, NAME, appended, (batch, batchId) -> writeBatch(tables, batch, batchId, maxRecordBytes));
  }

  static void writeBatch(Tables tables, Dataset<Row> batch, long batchId, long maxRecordBytes) throws Exception {
    Dataset<Row> classified = BronzeRecords.classify(batch, batchId, maxRecordBytes).persist();
    try {
      // One pass to learn which tables this batch touches; empty tables get no commit.
      List<Row> perTopic = classified.groupBy("topic")
          .agg(sum(when(col("error_class").isNull(), 1).otherwise(0)).as("readable"),
              sum(when(col("error_class").isNotNull(), 1).otherwise(0)).as("unreadable"))
          .collectAsList();
      int kafkaPartitions = batch.rdd().getNumPartitions();
      List<Callable<Void>> writes = new ArrayList<>();
      boolean anyUnreadable = false;
      for (Row row : perTopic) {
        String topic = row.getString(0);
        long readable = row.getLong(1);
        if (readable > 0) {
          // Every Kafka partition of the batch holds some rows of each topic: without this,
          // a table gets one small file per Kafka partition per batch.
          int files = (int) Math.min(kafkaPartitions, 1 + readable / ROWS_PER_FILE);
          TableId table = Tables.bronzeFor(topic);
          writes.add(() -> {
            DeltaWrites.appendOnce(BronzeRecords.readable(classified.filter(col("topic").equalTo(topic))).coalesce(files),
                tables, table, DeltaWrites.Writer.wholeTable(), batchId);
            return null;
          });
        }
        anyUnreadable |= row.getLong(2) > 0;
      }
      if (anyUnreadable) {
        writes.add(() -> {
          Quarantine.append(tables, BronzeRecords.unreadable(classified), NAME, null, batchId);
          return null;
        });
      }
      ParallelWrites.runAll(writes);
    } finally {
      classified.unpersist();
    }
  }
}
