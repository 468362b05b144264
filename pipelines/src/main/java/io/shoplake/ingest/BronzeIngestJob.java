package io.shoplake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.DeltaWrites;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.quality.Quarantine;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Lands every source topic (CDC, outbox, clickstream) in its append-only bronze table.
 *
 * <p>Reads: Kafka topics of {@code shoplake.sources}. Writes: {@code bronze.<topic>} and
 * {@code quality.quarantine}. Trigger: the configured one. Run: {@code shoplake run bronze.ingest}.
 *
 * <p>Exactly once: Kafka offsets live in the checkpoint, and each table write is an
 * idempotent Delta append keyed by the micro-batch id, so a batch replayed after a crash
 * adds nothing twice.
 */
public final class BronzeIngestJob implements Job {
  public static final String NAME = "bronze.ingest";

  @Override
  public String name() {
    return NAME;
  }

  public static List<TableDefinition> outputs(Tables tables) {
    List<TableDefinition> defs = new java.util.ArrayList<>(
        tables.bronzeTables().stream().map(id -> TableDefinition.of(id, BronzeRecords.SCHEMA)).toList());
    defs.add(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA));
    return defs;
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> kafka = ctx.spark().readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", ctx.config().string("shoplake.kafka.bootstrap-servers"))
        .option("subscribe", String.join(",", tables.topics().sources()))
        .option("startingOffsets", ctx.config().string("shoplake.kafka.starting-offsets"))
        .option("maxOffsetsPerTrigger", ctx.config().integer("shoplake.kafka.max-offsets-per-trigger"))
        // A topic deleted and recreated must stop the job rather than skip data silently.
        .option("failOnDataLoss", "true")
        .load();
    return ctx.startForEachBatch(kafka, NAME, (batch, batchId) -> writeBatch(tables, batch, batchId));
  }

  static void writeBatch(Tables tables, Dataset<Row> batch, long batchId) {
    Dataset<Row> classified = BronzeRecords.classify(batch, batchId).persist();
    try {
      // One pass to learn which tables this batch touches; empty tables get no commit.
      List<Row> perTopic = classified.groupBy("topic")
          .agg(sum(when(col("error_class").isNull(), 1).otherwise(0)).as("readable"),
              sum(when(col("error_class").isNotNull(), 1).otherwise(0)).as("unreadable"))
          .collectAsList();
      boolean anyUnreadable = false;
      for (Row row : perTopic) {
        String topic = row.getString(0);
        if (row.getLong(1) > 0) {
          DeltaWrites.appendOnce(
              BronzeRecords.readable(classified.filter(col("topic").equalTo(topic))),
              tables.path(Tables.bronzeFor(topic)), NAME + ":" + Tables.bronzeFor(topic), batchId);
        }
        anyUnreadable |= row.getLong(2) > 0;
      }
      if (anyUnreadable) {
        Quarantine.append(tables, Quarantine.records(BronzeRecords.unreadable(classified), NAME, null, batchId),
            NAME, batchId);
      }
    } finally {
      classified.unpersist();
    }
  }
}
