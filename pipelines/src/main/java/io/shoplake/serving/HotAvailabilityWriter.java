package io.shoplake.serving;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each availability change the moment it arrives (real-time mode hands rows over one
 * by one for the whole long-running batch, so nothing may wait for {@link #close}): the Redis
 * field through the versioned script, then the product's whole value, as Redis now holds it,
 * to the compacted availability topic, in the same format the lakehouse path publishes.
 *
 * <p>The message goes out even when Redis refused the change as not newer: a replayed epoch
 * finds its changes already in Redis, and its messages may be the ones a failed send lost.
 * A message is the product's complete current value, so sending it twice is harmless. A
 * failed send fails the task (at the next row or at close), so the epoch is replayed rather
 * than the topic silently falling behind Redis.
 */
public final class HotAvailabilityWriter extends ForeachWriter<Row> {
  private static final Logger LOG = LoggerFactory.getLogger(HotAvailabilityWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final RedisSettings redis;
  private final KafkaConnection kafka;
  private final String topic;
  private transient ResilientRedis jedis;
  private transient KafkaProducer<String, String> producer;
  private transient long skipped;
  private transient volatile Exception sendFailure;

  public HotAvailabilityWriter(RedisSettings redis, KafkaConnection kafka, String topic) {
    this.redis = redis;
    this.kafka = kafka;
    this.topic = topic;
  }

  @Override
  public boolean open(long partitionId, long epochId) {
    jedis = new ResilientRedis(redis);
    Properties p = kafka.properties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producer = new KafkaProducer<>(p);
    skipped = 0;
    sendFailure = null;
    return true;
  }

  @Override
  public void process(Row row) {
    failOnSendFailure();
    if (!row.<Boolean>getAs("readable")) {
      skipped++;
      return;
    }
    long productId = row.<Long>getAs("product_id");
    String key = redis.availabilityKey(productId);
    VersionedHashWriter.FieldUpdate update = new VersionedHashWriter.FieldUpdate(key,
        AvailabilityHash.field(row.getAs("location_id")), Integer.toString(row.<Integer>getAs("available")), row.<Long>getAs("version"));
    // Two calls, so that a retry of the read after an outage does not lose the message.
    jedis.call(c -> VersionedHashWriter.writeOne(c.jedis(), c.scriptSha(), update));
    Map<String, String> product = jedis.call(c -> c.jedis().hgetAll(key));
    producer.send(new ProducerRecord<>(topic, Long.toString(productId),
        productValue(productId, product, row.getAs("source_ts_ms"))), (metadata, error) -> {
          if (error != null && sendFailure == null) sendFailure = error;
        });
  }

  private void failOnSendFailure() {
    Exception failure = sendFailure;
    if (failure != null) {
      throw new IllegalStateException("hot path: sending to " + topic + " failed; the epoch is replayed", failure);
    }
  }

  @Override
  public void close(Throwable error) {
    if (skipped > 0) {
      LOG.warn("hot path skipped {} unreadable inventory change(s); silver quarantines them with the reason", skipped);
    }
    try {
      if (producer != null) closeFlushing(producer);
    } finally {
      if (jedis != null) jedis.close();
    }
    // close() flushed: a send that failed in the flush must fail the task too.
    if (error == null) failOnSendFailure();
  }

  /**
   * Stopping the query interrupts its tasks, and a producer closed on an interrupted thread
   * gives up its flush and logs an error. The messages it still holds belong to an epoch that
   * is replayed anyway, but flushing them keeps the topic as close to Redis as it can be; the
   * interrupt is handed back for Spark to see.
   */
  private static void closeFlushing(KafkaProducer<String, String> producer) {
    boolean interrupted = Thread.interrupted();
    try {
      producer.close(CLOSE_TIMEOUT);
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** The product as {@code serving.availability} publishes it, rebuilt from its Redis hash. */
  public static String productValue(long productId, Map<String, String> hash, Long sourceTsMs) {
    ObjectNode value = JSON.createObjectNode();
    value.put("product_id", productId);
    Map<String, Long> byLocation = new TreeMap<>();
    hash.forEach((field, units) -> AvailabilityHash.location(field)
        .ifPresent(location -> byLocation.put(location, Long.parseLong(units))));
    ObjectNode locations = JSON.createObjectNode();
    long total = 0;
    for (Map.Entry<String, Long> e : byLocation.entrySet()) {
      locations.put(e.getKey(), e.getValue());
      total += e.getValue();
    }
    value.put("available", total);
    value.set("locations", locations);
    value.put("version", Long.parseLong(hash.get(AvailabilityHash.VERSION)));
    if (sourceTsMs == null) value.putNull("source_ts");
    else value.put("source_ts", Instant.ofEpochMilli(sourceTsMs).toString());
    return value.toString();
  }
}
