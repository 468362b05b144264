package io.shoplake.chaos;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.cli.DataChecks;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Bad records among the shop's during a chaos run, so that the kills also land on batches that
 * quarantine: every few seconds one of a truncated CDC change, a click that is not JSON, an
 * outbox event without an id, and a customer change that is not UTF-8 (quarantined at ingest).
 * Each carries a marker; at the end every marked record Kafka holds must be in the quarantine
 * exactly once. Kafka, not the sender, is the truth: a send whose outcome an outage hid may or
 * may not have landed.
 */
final class PlantedBadRecords implements AutoCloseable {
  static final String MARKER = "chaos-bad-record";
  private static final long EVERY_MS = 5_000;

  private final List<String> topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Thread thread;
  private volatile boolean closed;
  private long sent;

  /** @param topics a CDC topic, the clickstream topic, the outbox topic and the customers' CDC topic, in turn */
  PlantedBadRecords(KafkaConnection kafka, List<String> topics) {
    this.topics = topics;
    Properties p = kafka.properties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    this.producer = new KafkaProducer<>(p);
    this.thread = new Thread(this::loop, "chaos-bad-records");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long n = 0;
    while (!closed) {
      String topic = topics.get((int) (n % topics.size()));
      try {
        producer.send(new ProducerRecord<>(topic, (MARKER + "-" + n).getBytes(StandardCharsets.UTF_8), value(n)));
        sent++;
      } catch (RuntimeException e) {
        // Kafka away: this one is not sent, which the check's reading of Kafka sees.
      }
      n++;
      try {
        Thread.sleep(EVERY_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** What is wrong with the n-th record depends on where it goes (see the class comment). */
  private byte[] value(long n) {
    byte[] marker = (MARKER + " " + n).getBytes(StandardCharsets.UTF_8);
    return switch ((int) (n % topics.size())) {
      case 0 -> ("{\"" + MARKER + "\":" + n + ",\"op\":\"u\",\"after\":{").getBytes(StandardCharsets.UTF_8);
      case 1 -> (MARKER + " " + n + ": not a click").getBytes(StandardCharsets.UTF_8);
      case 2 -> ("{\"" + MARKER + "\":" + n + ",\"eventType\":\"OrderCreated\",\"payload\":{\"orderId\":1}}")
          .getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] invalid = java.util.Arrays.copyOf(marker, marker.length + 2);
        invalid[marker.length] = (byte) 0xC3;
        invalid[marker.length + 1] = (byte) 0x28;
        yield invalid;
      }
    };
  }

  long sent() {
    return sent;
  }

  /** Per topic: the marked records in Kafka = the marked quarantine rows, each Kafka record once. */
  static DataChecks.Line check(SparkSession spark, Tables tables, KafkaConnection kafka, List<String> topics) {
    Dataset<Row> inKafka = spark.read().format("kafka").options(kafka.sparkOptions())
        .option("subscribe", String.join(",", topics))
        .option("startingOffsets", "earliest").option("endingOffsets", "latest").load()
        .filter(col("key").cast("string").startsWith(MARKER));
    Map<String, Long> kafkaCounts = counts(inKafka.groupBy("topic").agg(count(lit(1))));
    Dataset<Row> quarantined = TableAccess.of(spark, tables).read(Tables.QUARANTINE)
        .filter(col("raw_key").cast("string").startsWith(MARKER).or(col("key").startsWith(MARKER)));
    Row once = quarantined.agg(count(lit(1)), countDistinct(col("topic"), col("partition"), col("offset"))).first();
    Map<String, Long> quarantineCounts = counts(quarantined.groupBy("topic").agg(count(lit(1))));
    List<String> problems = new ArrayList<>();
    if (once.getLong(0) != once.getLong(1)) {
      problems.add((once.getLong(0) - once.getLong(1)) + " quarantine rows repeat a Kafka record");
    }
    for (String topic : topics) {
      long k = kafkaCounts.getOrDefault(topic, 0L);
      long q = quarantineCounts.getOrDefault(topic, 0L);
      if (k != q) problems.add(topic + ": kafka " + k + ", quarantined " + q);
    }
    long total = kafkaCounts.values().stream().mapToLong(Long::longValue).sum();
    return new DataChecks.Line(problems.isEmpty() ? DataChecks.Status.OK : DataChecks.Status.DIFF, "quarantine",
        String.format("%d planted bad records in Kafka, each quarantined once %s%s", total, kafkaCounts,
            problems.isEmpty() ? "" : "  " + problems), problems.size());
  }

  private static Map<String, Long> counts(Dataset<Row> byTopic) {
    Map<String, Long> counts = new TreeMap<>();
    byTopic.collectAsList().forEach(r -> counts.put(r.getString(0), r.getLong(1)));
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.interrupt();
    thread.join(10_000);
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
