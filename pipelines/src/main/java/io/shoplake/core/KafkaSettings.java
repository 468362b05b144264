package io.shoplake.core;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * How jobs reach Kafka and the topics they create, from {@code shoplake.kafka.*} and {@code shoplake.serving};
 * {@code consumerGroupPrefix} empty when no job's progress is mirrored into a consumer group.
 */
public record KafkaSettings(KafkaConnection connection, String startingOffsets, int maxOffsetsPerTrigger,
    int fetchMaxWaitMs, int servingTopicPartitions, String consumerGroupPrefix) implements Serializable {

  public static KafkaSettings from(ShoplakeConfig config) {
    return new KafkaSettings(
        connection(config),
        config.string("shoplake.kafka.starting-offsets"),
        config.integer("shoplake.kafka.max-offsets-per-trigger"),
        config.integer("shoplake.kafka.fetch-max-wait-ms"),
        config.integer("shoplake.serving.topic-partitions"),
        config.string("shoplake.kafka.consumer-group-prefix"));
  }

  public String bootstrapServers() {
    return connection.bootstrapServers();
  }

  /**
   * {@code shoplake.kafka.bootstrap-servers} and {@code shoplake.kafka.options}; an option may be
   * written quoted ({@code "security.protocol" = SASL_SSL}) or as nested keys.
   */
  public static KafkaConnection connection(ShoplakeConfig config) {
    Map<String, String> options = new TreeMap<>();
    if (config.has("shoplake.kafka.options")) {
      flatten("", config.raw().getObject("shoplake.kafka.options").unwrapped(), options);
    }
    return new KafkaConnection(config.string("shoplake.kafka.bootstrap-servers"), options);
  }

  private static void flatten(String prefix, Map<String, Object> tree, Map<String, String> into) {
    tree.forEach((key, value) -> {
      if (value instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> children = (Map<String, Object>) nested;
        flatten(prefix + key + ".", children, into);
      } else if (value != null) {
        into.put(prefix + key, String.valueOf(value));
      }
    });
  }
}
