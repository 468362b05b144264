package io.shoplake.serving;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.quality.ErasedCustomer;
import io.shoplake.quality.Erasures;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Publishes customer segments: each membership change as an event, and each touched customer's
 * current segments as a versioned Redis value. Resumes from its checkpoint; a replayed batch
 * sends the same events again (consumers dedupe by customer, segment and version) and its Redis
 * writes are refused as not newer.
 *
 * <p>Reads: {@code gold.customer_segments} change feed. Writes: topic
 * {@code shoplake.serving.segment-changes-topic} (key = customer id), Redis
 * {@code <prefix>:segments:<customer_id>}. Trigger: the configured one. Run:
 * {@code shoplake run serving.segments}.
 */
public final class SegmentsServingJob implements Job {
  public static final String NAME = "serving.segments";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SERVING).reads(Tables.GOLD_CUSTOMER_SEGMENTS, Tables.ERASURES)
        .writesTopics(topics.segmentChanges());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    KafkaSettings kafka = ctx.kafka();
    KafkaConnection connection = kafka.connection();
    String topic = tables.topics().segmentChanges();
    ServingTopics.ensureEvents(connection, topic, kafka.servingTopicPartitions());
    RedisSettings redis = ctx.redis();
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.GOLD_CUSTOMER_SEGMENTS);
    Supplier<ErasedCustomer.KeyedHash> keyedHash = () -> new Pseudonymizer(ctx.services().piiKey())::pseudonym;
    return ctx.startForEachBatch(changes, NAME,
        (batch, batchId) -> publish(ctx.spark(), tables, redis, connection, topic, batch, keyedHash));
  }

  /**
   * An erased customer's changes are not published: their gold rows are deleted by the erasure,
   * and publishing that would send their id again and write their Redis key back.
   */
  static void publish(SparkSession spark, Tables tables, RedisSettings redis, KafkaConnection connection, String topic,
      Dataset<Row> batch, Supplier<ErasedCustomer.KeyedHash> keyedHash) {
    Dataset<Row> membership = Erasures.withoutErased(TableAccess.of(spark, tables),
        SegmentMessages.membershipChanges(batch), "customer_id", keyedHash).persist();
    try {
      Row top = membership.agg(max("_commit_version")).first();
      if (top.isNullAt(0)) return;
      ServingTopics.write(SegmentMessages.changeEvents(membership), connection, topic);
      publishRedis(spark, tables, redis, membership, top.getLong(0));
    } finally {
      membership.unpersist();
    }
  }

  /**
   * The touched customers' segments at {@code version}; every customer's, should Redis have lost
   * what was published before (see {@link PublishedMarker}).
   */
  public static void publishRedis(SparkSession spark, Tables tables, RedisSettings redis, Dataset<Row> membership,
      long version) {
    PublishedMarker.publish(redis, NAME, all -> {
      if (all) {
        Dataset<Row> atVersion = atVersion(spark, tables, version);
        VersionedValues.write(SegmentMessages.currentValues(atVersion.select(col("customer_id")).distinct(), atVersion,
            version, redis.keyPrefix()), redis);
      } else {
        toRedis(spark, tables, redis, membership, version);
      }
    });
  }

  private static Dataset<Row> atVersion(SparkSession spark, Tables tables, long version) {
    return TableAccess.of(spark, tables).readAsOf(Tables.GOLD_CUSTOMER_SEGMENTS, version);
  }

  /** The touched customers' segments as gold held them at {@code version}, each value tagged with it. */
  public static void toRedis(SparkSession spark, Tables tables, RedisSettings redis, Dataset<Row> membership,
      long version) {
    VersionedValues.write(SegmentMessages.currentValues(membership.select(col("customer_id")).distinct(),
        atVersion(spark, tables, version), version, redis.keyPrefix()), redis);
  }
}
