package io.shoplake.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.quality.AvailabilityComparison;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a serving topic the way a storefront consumer would: newest version per key wins. */
final class ServingTopicReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServingTopicReader() {}

  /** Availability per "product/location" from the newest message of each product. */
  static Map<String, Integer> latestAvailability(String bootstrap, String topic) throws Exception {
    Map<String, JsonNode> newest = new HashMap<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() == null) continue;
          JsonNode value = JSON.readTree(record.value());
          JsonNode seen = newest.get(record.key());
          if (seen == null || seen.get("version").asLong() < value.get("version").asLong()) {
            newest.put(record.key(), value);
          }
        }
      }
    }
    Map<String, Integer> availability = new TreeMap<>();
    newest.forEach((product, value) -> value.get("locations").fields().forEachRemaining(
        loc -> availability.put(AvailabilityComparison.key(Long.parseLong(product), loc.getKey()), loc.getValue().asInt())));
    return availability;
  }
}
