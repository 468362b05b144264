package io.shoplake.core;

import java.io.Serializable;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/** Where serving values go in Redis. Serializable: executors open their own connections. */
public record RedisSettings(String host, int port, String password, String keyPrefix, Duration outageTimeout)
    implements Serializable {
  /** How long serving writers wait out a Redis outage when nothing configures it. */
  public static final Duration DEFAULT_OUTAGE_TIMEOUT = Duration.ofMinutes(10);

  public RedisSettings(String host, int port, String password, String keyPrefix) {
    this(host, port, password, keyPrefix, DEFAULT_OUTAGE_TIMEOUT);
  }

  public static RedisSettings from(ShoplakeConfig config) {
    return new RedisSettings(
        config.string("shoplake.redis.host"),
        config.integer("shoplake.redis.port"),
        config.stringOr("shoplake.redis.password", null),
        config.string("shoplake.redis.key-prefix"),
        Duration.ofMillis(config.millis("shoplake.redis.outage-timeout")));
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

  /** Where a serving job notes the Redis instance (run_id) that holds all it published. */
  public String servingMarkerKey(String servingJob) {
    return keyPrefix + ":_published:" + servingJob;
  }

  /** When a serving job last finished publishing (epoch milliseconds): how old what Redis serves is. */
  public String servingPublishedAtKey(String servingJob) {
    return keyPrefix + ":_published_at:" + servingJob;
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
