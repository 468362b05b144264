package io.shoplake.serving;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

  public static void ensureCompacted(String bootstrap, String topic, int partitions) {
    ensure(bootstrap, topic, partitions, "compact");
  }

  /** Event topics (every message matters, not only the latest per key) keep the broker's retention. */
  public static void ensureEvents(String bootstrap, String topic, int partitions) {
    ensure(bootstrap, topic, partitions, "delete");
  }

  /** Writes {@code key, value} rows to the topic, idempotent producer (no duplicates from producer retries). */
  public static void write(Dataset<Row> keyValues, String bootstrap, String topic) {
    keyValues.write()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("kafka.enable.idempotence", "true")
        .option("topic", topic)
        .save();
  }

  private static void ensure(String bootstrap, String topic, int partitions, String cleanupPolicy) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
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
  public static int partitions(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
