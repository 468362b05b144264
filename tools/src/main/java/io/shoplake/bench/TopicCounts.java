package io.shoplake.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Records written so far to groups of topics (change events, outbox events, clicks), from the
 * brokers' end offsets: what the shop sent, counted where the pipeline reads it.
 */
final class TopicCounts implements AutoCloseable {
  private final Admin admin;
  private final Map<String, List<String>> topicsByKind;

  /** The sources bronze ingests by kind: change events, outbox events, clicks. */
  static Map<String, List<String>> sourcesByKind(io.shoplake.core.Topics topics) {
    Map<String, List<String>> kinds = new LinkedHashMap<>();
    kinds.put("changes", topics.cdcTables().stream().map(topics::cdc).toList());
    kinds.put("outbox", topics.outboxTopics());
    kinds.put("clicks", List.of(topics.clickstream()));
    return kinds;
  }

  TopicCounts(io.shoplake.core.KafkaConnection kafka, Map<String, List<String>> topicsByKind) {
    this.admin = kafka.admin(Map.of());
    this.topicsByKind = topicsByKind;
  }

  /** Records per kind, in the order the kinds were given; a topic not created yet counts 0. */
  Map<String, Long> now() throws InterruptedException {
    Map<String, Long> byTopic = endOffsets(topicsByKind.values().stream().flatMap(Collection::stream).toList());
    Map<String, Long> byKind = new LinkedHashMap<>();
    topicsByKind.forEach((kind, topics) ->
        byKind.put(kind, topics.stream().mapToLong(t -> byTopic.getOrDefault(t, 0L)).sum()));
    return byKind;
  }

  private Map<String, Long> endOffsets(List<String> topics) throws InterruptedException {
    try {
      List<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
          .filter(topics::contains).toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : admin.describeTopics(existing).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
        d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<String, Long> byTopic = new HashMap<>();
      admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
          .forEach((partition, info) -> byTopic.merge(partition.topic(), info.offset(), Long::sum));
      return byTopic;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka did not say its end offsets", e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
