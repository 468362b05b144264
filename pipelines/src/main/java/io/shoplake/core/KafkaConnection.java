package io.shoplake.core;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * How every Kafka client of Shoplake reaches the brokers: their addresses, and {@code
 * shoplake.kafka.options}, any Kafka client property ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*} …) given alike to Spark's Kafka source and sink, the hot path's producer, the
 * consumers and the admin clients, so that a secured cluster is one block of settings.
 * Serializable: executors open their own producers.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> options) implements Serializable {
  public KafkaConnection {
    if (options.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("shoplake.kafka.options must not set bootstrap.servers:"
          + " shoplake.kafka.bootstrap-servers says where the brokers are");
    }
    options = Map.copyOf(options);
  }

  /** Brokers that ask nothing of their clients, as the devstack's plain one. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /** What a producer, consumer or admin client is given, before its own settings. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>(options);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  /** {@link #clientProperties()} as {@link Properties}, for the clients that take them. */
  public Properties properties() {
    Properties props = new Properties();
    props.putAll(clientProperties());
    return props;
  }

  /** What Spark's Kafka source and sink are given: each client property prefixed with {@code kafka.}. */
  public Map<String, String> sparkOptions() {
    Map<String, String> spark = new LinkedHashMap<>();
    spark.put("kafka." + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    options.forEach((key, value) -> spark.put("kafka." + key, value));
    return spark;
  }

  /** An admin client with {@code extra} settings of its own (timeouts, client id). */
  public Admin admin(Map<String, Object> extra) {
    Map<String, Object> props = clientProperties();
    props.putAll(extra);
    return Admin.create(props);
  }

  /** The brokers and the names of the options set, never their values: a JAAS line holds a password. */
  @Override
  public String toString() {
    return "Kafka " + bootstrapServers + (options.isEmpty() ? "" : " with " + new TreeMap<>(options).keySet());
  }
}
