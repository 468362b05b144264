package io.shoplake.serving;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Publishes each abandoned cart once, for a recovery campaign. Resumes from its checkpoint; only
 * a batch replayed after a crash can send a cart twice (same key and version: consumers dedupe).
 *
 * <p>Reads: {@code gold.abandoned_carts} change feed. Writes: topic
 * {@code shoplake.serving.abandoned-carts-topic} (key = session id). Trigger: the configured one.
 * Run: {@code shoplake run serving.abandoned_carts}.
 */
public final class AbandonedCartsServingJob implements Job {
  public static final String NAME = "serving.abandoned_carts";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SERVING).reads(Tables.GOLD_ABANDONED_CARTS)
        .writesTopics(topics.abandonedCarts());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    KafkaSettings kafka = ctx.kafka();
    KafkaConnection connection = kafka.connection();
    String topic = tables.topics().abandonedCarts();
    ServingTopics.ensureEvents(connection, topic, kafka.servingTopicPartitions());
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.GOLD_ABANDONED_CARTS);
    return ctx.startForEachBatch(changes, NAME,
        (batch, batchId) -> ServingTopics.write(AbandonedCartMessages.events(batch), connection, topic));
  }
}
