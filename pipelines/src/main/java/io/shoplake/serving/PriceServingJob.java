package io.shoplake.serving;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import static org.apache.spark.sql.functions.max;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Publishes price recommendations to the storefront (recommendations only: applying a price
 * is the shop's decision). Resumes from its checkpoint; replays are refused by Redis as not
 * newer and collapse in the compacted topic.
 *
 * <p>Reads: {@code gold.price_recommendations} change feed. Writes: compacted topic
 * {@code shoplake.serving.price-topic} (key = product id), Redis {@code <prefix>:price:<product_id>}.
 * Trigger: the configured one. Run: {@code shoplake run serving.prices}.
 */
public final class PriceServingJob implements Job {
  public static final String NAME = "serving.prices";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SERVING).reads(Tables.GOLD_PRICE_RECOMMENDATIONS)
        .writesTopics(topics.priceRecommendations());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    KafkaSettings kafka = ctx.kafka();
    KafkaConnection connection = kafka.connection();
    String topic = tables.topics().priceRecommendations();
    ServingTopics.ensureCompacted(connection, topic, kafka.servingTopicPartitions());
    RedisSettings redis = ctx.redis();
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.GOLD_PRICE_RECOMMENDATIONS);
    return ctx.startForEachBatch(changes, NAME, (batch, batchId) -> {
      Dataset<Row> latest = PriceMessages.latest(batch).persist();
      try {
        ServingTopics.write(PriceMessages.kafka(latest), connection, topic);
        publishRedis(ctx.spark(), tables, redis, latest);
      } finally {
        latest.unpersist();
      }
    });
  }

  /**
   * The batch's newest recommendations; every product's, as of the batch's newest version,
   * should Redis have lost what was published before (see {@link PublishedMarker}).
   *
   * @param latest {@link PriceMessages#latest}
   */
  public static void publishRedis(SparkSession spark, Tables tables, RedisSettings redis, Dataset<Row> latest) {
    Row top = latest.agg(max("version")).first();
    if (top.isNullAt(0)) return;
    long version = top.getLong(0);
    PublishedMarker.publish(redis, NAME, all -> toRedis(all
        ? PriceMessages.all(TableAccess.of(spark, tables).readAsOf(Tables.GOLD_PRICE_RECOMMENDATIONS, version), version)
        : latest, redis));
  }

  /** @param latest {@link PriceMessages#latest} */
  public static void toRedis(Dataset<Row> latest, RedisSettings redis) {
    VersionedValues.write(PriceMessages.redis(latest, redis.keyPrefix()), redis);
  }
}
