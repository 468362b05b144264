package io.shoplake.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Records in Kafka that a query has not read yet: the broker's end offsets now, minus the
 * offsets its last batch read to. A progress report's own "latest offset" cannot say it: it is
 * taken when the batch is planned, and a batch takes everything up to it, so it is always 0.
 */
public final class KafkaLag implements AutoCloseable {
  private final Admin admin;

  private KafkaLag(Admin admin) {
    this.admin = admin;
  }

  public static KafkaLag connect(String bootstrapServers) {
    return new KafkaLag(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
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
  public void close() {
    admin.close();
  }
}
