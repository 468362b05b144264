package io.shoplake.core;

import java.io.Serializable;

/**
 * How jobs reach Kafka and the topics they create, from {@code shoplake.kafka.*} and {@code shoplake.serving};
 * {@code consumerGroupPrefix} empty when no job's progress is mirrored into a consumer group.
 */
public record KafkaSettings(String bootstrapServers, String startingOffsets, int maxOffsetsPerTrigger,
    int fetchMaxWaitMs, int servingTopicPartitions, String consumerGroupPrefix) implements Serializable {

  public static KafkaSettings from(ShoplakeConfig config) {
    return new KafkaSettings(
        config.string("shoplake.kafka.bootstrap-servers"),
        config.string("shoplake.kafka.starting-offsets"),
        config.integer("shoplake.kafka.max-offsets-per-trigger"),
        config.integer("shoplake.kafka.fetch-max-wait-ms"),
        config.integer("shoplake.serving.topic-partitions"),
        config.string("shoplake.kafka.consumer-group-prefix"));
  }
}
