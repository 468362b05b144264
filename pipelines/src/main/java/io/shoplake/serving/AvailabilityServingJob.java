package io.shoplake.serving;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import io.shoplake.core.ChangeFeeds;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.inventory.InventorySettings;
import io.shoplake.inventory.LowStockAlerts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes availability to the storefront: Redis hashes and a compacted Kafka topic, both
 * carrying versions so that a reader or writer never takes an older value over a newer one.
 *
 * <p>Reads: {@code gold.inventory_availability} change feed. Writes: low-stock alerts to
 * {@code shoplake.serving.low-stock-topic} (see {@link LowStockAlerts}), Redis
 * {@code <prefix>:availability:<product_id>} and topic {@code shoplake.serving.availability-topic}
 * (key = product id). Trigger: the configured one. Run: {@code shoplake run serving.availability}.
 */
public final class AvailabilityServingJob implements Job {
  public static final String NAME = "serving.availability";
  private static final Logger LOG = LoggerFactory.getLogger(AvailabilityServingJob.class);
  private final InventorySettings inventory;

  public AvailabilityServingJob(InventorySettings inventory) {
    this.inventory = inventory;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SERVING).reads(Tables.GOLD_INVENTORY_AVAILABILITY)
        .writesTopics(topics.availability(), topics.lowStockAlerts());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    KafkaSettings kafka = ctx.kafka();
    KafkaConnection connection = kafka.connection();
    String topic = tables.topics().availability();
    ServingTopics.ensureCompacted(connection, topic, kafka.servingTopicPartitions());
    ServingTopics.ensureEvents(connection, tables.topics().lowStockAlerts(), kafka.servingTopicPartitions());
    int threshold = inventory.lowStockThreshold();
    RedisSettings redis = ctx.redis();
    long startedAt = System.currentTimeMillis();
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.GOLD_INVENTORY_AVAILABILITY);
    return ctx.startForEachBatch(changes, NAME, (batch, batchId) -> publish(ctx.spark(), tables, redis, connection, topic, batch, startedAt, threshold));
  }

  static void publish(SparkSession spark, Tables tables, RedisSettings redis, KafkaConnection connection, String topic,
      Dataset<Row> batch, long startedAt, int lowStockThreshold) {
    Dataset<Row> latest = ChangeFeeds.latestPerKey(batch, "version", "product_id", "location_id").persist();
    try {
      boolean resynced = PublishedMarker.publish(redis, NAME, all -> (all
              ? TableAccess.of(spark, tables).read(Tables.GOLD_INVENTORY_AVAILABILITY)
              : latest)
          .select("product_id", "location_id", "available", "version")
          .foreachPartition((ForeachPartitionFunction<Row>) rows -> writeRedis(redis, rows)));
      if (resynced) LOG.info("published all of {} to Redis {}", Tables.GOLD_INVENTORY_AVAILABILITY, redis);
      publishKafka(spark, tables, connection, topic, latest);
      publishAlerts(connection, tables.topics().lowStockAlerts(), LowStockAlerts.crossings(batch, lowStockThreshold));
      recordFreshness(latest, startedAt);
    } finally {
      latest.unpersist();
    }
  }

  private static void writeRedis(RedisSettings redis, java.util.Iterator<Row> rows) {
    List<VersionedHashWriter.FieldUpdate> updates = new ArrayList<>();
    rows.forEachRemaining(r -> updates.add(new VersionedHashWriter.FieldUpdate(
        redis.availabilityKey(r.getLong(0)), AvailabilityHash.field(r.getString(1)), Integer.toString(r.getInt(2)), r.getLong(3))));
    if (updates.isEmpty()) return;
    try (ResilientRedis r = new ResilientRedis(redis)) {
      r.call(c -> VersionedHashWriter.write(c.jedis(), c.scriptSha(), updates));
    }
  }

  /** The whole product (every location) goes out, so one message is a complete value. */
  private static void publishKafka(SparkSession spark, Tables tables, KafkaConnection connection, String topic,
      Dataset<Row> latest) {
    Dataset<Row> touched = latest.select("product_id").distinct();
    Dataset<Row> current = TableAccess.of(spark, tables).read(Tables.GOLD_INVENTORY_AVAILABILITY)
        .join(touched, "product_id");
    current.groupBy("product_id")
        .agg(sum("available").cast("long").as("available"),
            map_from_entries(collect_list(struct(col("location_id"), col("available")))).as("locations"),
            max("version").as("version"),
            max("source_ts").as("source_ts"))
        .select(col("product_id").cast("string").as("key"),
            to_json(struct(col("product_id"), col("available"), col("locations"), col("version"),
                col("source_ts"))).as("value"))
        .write()
        .format("kafka")
        .options(connection.sparkOptions())
        .option("kafka.enable.idempotence", "true")
        .option("topic", topic)
        .save();
  }

  /** At least once: a replayed batch sends its alerts again with the same alert_id. */
  private static void publishAlerts(KafkaConnection connection, String topic, Dataset<Row> alerts) {
    alerts.select(col("product_id").cast("string").as("key"),
            to_json(struct(col("alert_id"), col("product_id"), col("location_id"), col("kind"), col("available"),
                col("threshold"), col("version"), col("source_ts"))).as("value"))
        .write()
        .format("kafka")
        .options(connection.sparkOptions())
        .option("kafka.enable.idempotence", "true")
        .option("topic", topic)
        .save();
  }

  /**
   * Commit → published latency of changes committed while this job ran; older changes
   * (the initial snapshot, a backlog) measure the outage, not the pipeline.
   */
  private static void recordFreshness(Dataset<Row> latest, long startedAt) {
    long now = System.currentTimeMillis();
    List<Long> samples = new ArrayList<>();
    for (Row r : latest.select("source_ts").collectAsList()) {
      if (!r.isNullAt(0) && r.getTimestamp(0).getTime() >= startedAt) samples.add(now - r.getTimestamp(0).getTime());
    }
    FreshnessRecorder.record(samples);
    LOG.debug("published {} availability values", samples.size());
  }
}
