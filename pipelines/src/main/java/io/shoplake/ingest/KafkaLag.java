package io.shoplake.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;

/**
 * Records in Kafka that a query has not read yet: the broker's end offsets now, minus the
 * offsets its last batch read to. A progress report's own "latest offset" cannot say it: it is
 * taken when the batch is planned, and a batch takes everything up to it, so it is always 0.
 */
public final class KafkaLag implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
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
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    readTo.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    try {
      for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end :
          admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
        ends.put(end.getKey(), end.getValue().offset());
      }
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    }
    return unread(readTo, ends);
  }

  static long unread(Map<TopicPartition, Long> readTo, Map<TopicPartition, Long> ends) {
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> read : readTo.entrySet()) {
      lag += Math.max(0, ends.getOrDefault(read.getKey(), 0L) - read.getValue());
    }
    return lag;
  }

  /** The offsets each Kafka source of a progress report read to; other sources add nothing. */
  public static Map<TopicPartition, Long> readTo(SourceProgress[] sources) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (SourceProgress source : sources) {
      if (source.endOffset() == null) continue;
      JsonNode end;
      try {
        end = JSON.readTree(source.endOffset());
      } catch (Exception e) {
        continue; // not JSON: not a Kafka source
      }
      for (Iterator<Map.Entry<String, JsonNode>> topics = end.fields(); topics.hasNext(); ) {
        Map.Entry<String, JsonNode> topic = topics.next();
        for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
          Map.Entry<String, JsonNode> part = parts.next();
          if (!part.getValue().canConvertToLong() || !isInteger(part.getKey())) continue;
          offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(part.getKey())), part.getValue().asLong());
        }
      }
    }
    return offsets;
  }

  private static boolean isInteger(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  @Override
  public void close() {
    admin.close();
  }
}
