package io.shoplake.serving;

import io.shoplake.core.KafkaConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Serving topics. State topics are compacted: a consumer reading from the start gets the latest
 * value per key. Event topics (segment changes, abandoned carts) are not.
 */
public final class ServingTopics {
  private ServingTopics() {}

  public static void ensureCompacted(KafkaConnection kafka, String topic, int partitions) {
    ensure(kafka, topic, partitions, "compact");
  }

  /** Event topics (every message matters, not only the latest per key) keep the broker's retention. */
  public static void ensureEvents(KafkaConnection kafka, String topic, int partitions) {
    ensure(kafka, topic, partitions, "delete");
  }

  /** Writes {@code key, value} rows to the topic, idempotent producer (no duplicates from producer retries). */
  public static void write(Dataset<Row> keyValues, KafkaConnection kafka, String topic) {
    keyValues.write()
        .format("kafka")
        .options(kafka.sparkOptions())
        .option("kafka.enable.idempotence", "true")
        .option("topic", topic)
        .save();
  }

  private static void ensure(KafkaConnection kafka, String topic, int partitions, String cleanupPolicy) {
    try (Admin admin = kafka.admin(Map.of())) {
      NewTopic spec = new NewTopic(topic, partitions, (short) -1)
          .configs(Map.of("cleanup.policy", cleanupPolicy));
      admin.createTopics(List.of(spec)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create serving topic " + topic + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Partition count of an existing topic. */
  public static int partitions(KafkaConnection kafka, String topic) {
    try (Admin admin = kafka.admin(Map.of())) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
