package io.shoplake.serving;

import io.shoplake.core.ShoplakeConfig;
import java.io.Serializable;
import redis.clients.jedis.Jedis;

/** Where serving values go in Redis. Serializable: executors open their own connections. */
public record RedisSettings(String host, int port, String password, String keyPrefix) implements Serializable {
  public static RedisSettings from(ShoplakeConfig config) {
    return new RedisSettings(
        config.string("shoplake.redis.host"),
        config.integer("shoplake.redis.port"),
        config.stringOr("shoplake.redis.password", null),
        config.string("shoplake.redis.key-prefix"));
  }

  public Jedis connect() {
    Jedis jedis = new Jedis(host, port);
    if (password != null && !password.isEmpty()) jedis.auth(password);
    return jedis;
  }

  /** Hash of one product's availability: field per location, plus {@code _total} and {@code _version}. */
  public String availabilityKey(long productId) {
    return keyPrefix + ":availability:" + productId;
  }

  /** Hash of one customer's current segments: field {@code value} = JSON, versioned. */
  public String segmentsKey(long customerId) {
    return keyPrefix + ":segments:" + customerId;
  }

  /** Hash of one product's price recommendation: field {@code value} = JSON, versioned. */
  public String priceKey(long productId) {
    return keyPrefix + ":price:" + productId;
  }

  @Override
  public String toString() {
    return "RedisSettings[" + host + ":" + port + ", prefix=" + keyPrefix + "]";
  }
}
