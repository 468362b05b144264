package io.shoplake.serving;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Serving topics are compacted: a consumer reading from the start gets the latest value per key. */
public final class ServingTopics {
  private ServingTopics() {}

  public static void ensureCompacted(String bootstrap, String topic, int partitions) {
    ensure(bootstrap, topic, partitions, Map.of("cleanup.policy", "compact"));
  }

  /** An event topic: kept for the broker's retention, every message counts. */
  public static void ensureEvents(String bootstrap, String topic, int partitions) {
    ensure(bootstrap, topic, partitions, Map.of());
  }

  private static void ensure(String bootstrap, String topic, int partitions, Map<String, String> configs) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      NewTopic spec = new NewTopic(topic, partitions, (short) -1).configs(configs);
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
