package io.shoplake.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.core.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a serving topic the way a storefront consumer would: newest version per key wins. */
final class ServingTopicReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServingTopicReader() {}

  /** Availability per "product/location" from the newest message of each product. */
  static Map<String, Integer> latestAvailability(String bootstrap, String topic) {
    Map<String, JsonNode> newest = new HashMap<>();
    for (ConsumerRecord<String, String> record : all(bootstrap, topic)) {
      if (record.value() == null) continue;
      JsonNode value = read(record.value());
      JsonNode seen = newest.get(record.key());
      if (seen == null || seen.get("version").asLong() < value.get("version").asLong()) {
        newest.put(record.key(), value);
      }
    }
    Map<String, Integer> availability = new TreeMap<>();
    newest.forEach((product, value) -> value.get("locations").fields().forEachRemaining(
        loc -> availability.put(AvailabilityComparison.key(Long.parseLong(product), loc.getKey()), loc.getValue().asInt())));
    return availability;
  }

  /** The kind of the newest low-stock alert per "product/location" (newest = highest version). */
  static Map<String, String> latestAlerts(String bootstrap, String topic) {
    Map<String, JsonNode> newest = new HashMap<>();
    for (ConsumerRecord<String, String> record : all(bootstrap, topic)) {
      JsonNode value = read(record.value());
      String key = AvailabilityComparison.key(value.get("product_id").asLong(), value.get("location_id").asText());
      JsonNode seen = newest.get(key);
      if (seen == null || seen.get("version").asLong() < value.get("version").asLong()) newest.put(key, value);
    }
    Map<String, String> kinds = new TreeMap<>();
    newest.forEach((key, value) -> kinds.put(key, value.get("kind").asText()));
    return kinds;
  }

  /** Every value on the topic, in offset order (one partition). */
  static List<String> values(String bootstrap, String topic) {
    return all(bootstrap, topic).stream().map(ConsumerRecord::value).toList();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("not JSON on a serving topic: " + json, e);
    }
  }

  /** Every record of {@code topic}, from its start to its end now. */
  static List<ConsumerRecord<String, String>> all(String bootstrap, String topic) {
    return all(KafkaConnection.plaintext(bootstrap), topic);
  }

  /** {@link #all(String, String)} of a broker that asks its clients for {@code kafka}'s options. */
  static List<ConsumerRecord<String, String>> all(KafkaConnection kafka, String topic) {
    List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
    Properties props = kafka.properties();
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
