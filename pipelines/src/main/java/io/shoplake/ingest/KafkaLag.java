package io.shoplake.ingest;

import io.shoplake.core.KafkaConnection;import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records in Kafka that a query has not read yet: the broker's end offsets now, minus the
 * offsets its last batch read to. A progress report's own "latest offset" cannot say it: it is
 * taken when the batch is planned, and a batch takes everything up to it, so it is always 0.
 */
public final class KafkaLag implements AutoCloseable {
  private final Admin admin;
  private final KafkaConnection kafka;
  private KafkaConsumer<byte[], byte[]> consumer;

  private KafkaLag(Admin admin, KafkaConnection kafka) {
    this.admin = admin;
    this.kafka = kafka;
  }

  public static KafkaLag connect(KafkaConnection kafka) {
    return new KafkaLag(kafka.admin(Map.of()), kafka);
  }

  /**
   * When the record at each partition's offset reached the broker (its timestamp): for an offset
   * a query has read to, when its oldest unread record arrived. A partition with no record there
   * yet (nothing unread) is left out, as is one the broker did not answer for in time.
   */
  public synchronized Map<TopicPartition, Instant> arrivals(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, Instant> at = new HashMap<>();
    if (offsets.isEmpty()) return at;
    KafkaConsumer<byte[], byte[]> c = consumer();
    c.assign(offsets.keySet());
    c.resume(c.paused());
    offsets.forEach(c::seek);
    Map<TopicPartition, Long> ends = c.endOffsets(offsets.keySet(), Duration.ofSeconds(5));
    Set<TopicPartition> waiting = new HashSet<>();
    offsets.forEach((partition, offset) -> {
      if (ends.getOrDefault(partition, 0L) > offset) waiting.add(partition);
    });
    c.pause(offsets.keySet().stream().filter(p -> !waiting.contains(p)).toList());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (at.size() < waiting.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(200))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (!at.containsKey(partition)) {
          at.put(partition, Instant.ofEpochMilli(record.timestamp()));
          c.pause(List.of(partition));
        }
      }
    }
    return at;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      Properties props = kafka.properties();
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      // Only each partition's first unread record is wanted.
      props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "65536");
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(props);
    }
    return consumer;
  }

  /** Unread records past {@code readTo}, or -1 if the broker did not answer in time. */
  public long now(Map<TopicPartition, Long> readTo) throws InterruptedException {
    if (readTo.isEmpty()) return 0;
    Map<TopicPartition, Long> ends = ends(readTo.keySet());
    return ends.isEmpty() ? -1 : unread(readTo, ends);
  }

  /** The broker's end offsets of the partitions; none if it did not answer in time. */
  public Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    try {
      for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end :
          admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
        ends.put(end.getKey(), end.getValue().offset());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException | TimeoutException e) {
      return Map.of();
    }
    return ends;
  }

  static long unread(Map<TopicPartition, Long> readTo, Map<TopicPartition, Long> ends) {
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> read : readTo.entrySet()) {
      lag += Math.max(0, ends.getOrDefault(read.getKey(), 0L) - read.getValue());
    }
    return lag;
  }

  @Override
  public synchronized void close() {
    admin.close();
    if (consumer != null) consumer.close(Duration.ofSeconds(2));
  }
}
