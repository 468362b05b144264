package io.shoplake.core;

import java.io.Serializable;
import java.time.Duration;
import java.nio.file.Path;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Where serving values go in Redis, and how to connect: an ACL {@code user} (null: the default
 * user) with its password, over TLS when {@code tls}, trusting the PEM certificates of {@code
 * tlsTruststore} (empty: the JVM's own trust store). Serializable: executors open their own
 * connections.
 */
public record RedisSettings(String host, int port, String password, String keyPrefix, Duration outageTimeout,
    String user, boolean tls, String tlsTruststore) implements Serializable {
  /** How long serving writers wait out a Redis outage when nothing configures it. */
  public static final Duration DEFAULT_OUTAGE_TIMEOUT = Duration.ofMinutes(10);

  public RedisSettings(String host, int port, String password, String keyPrefix) {
    this(host, port, password, keyPrefix, DEFAULT_OUTAGE_TIMEOUT);
  }

  public RedisSettings(String host, int port, String password, String keyPrefix, Duration outageTimeout) {
    this(host, port, password, keyPrefix, outageTimeout, null, false, "");
  }

  public static RedisSettings from(ShoplakeConfig config) {
    return new RedisSettings(
        config.string("shoplake.redis.host"),
        config.integer("shoplake.redis.port"),
        config.stringOr("shoplake.redis.password", null),
        config.string("shoplake.redis.key-prefix"),
        Duration.ofMillis(config.millis("shoplake.redis.outage-timeout")),
        config.stringOr("shoplake.redis.user", null),
        config.raw().getBoolean("shoplake.redis.tls"),
        config.stringOr("shoplake.redis.tls-truststore", ""));
  }

  public Jedis connect() {
    // RESP2, as a plain Jedis speaks it: the serving writers' Lua replies are read that way.
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false);
    if (password != null && !password.isEmpty()) client.user(user).password(password);
    if (tls) {
      client.ssl(true);
      if (!tlsTruststore.isEmpty()) client.sslSocketFactory(PemTrust.socketFactory(Path.of(tlsTruststore)));
      // The certificate must name the host connected to, as HTTPS checks it.
      SSLParameters verifyHost = new SSLParameters();
      verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
      client.sslParameters(verifyHost);
    }
    return new Jedis(new HostAndPort(host, port), client.build());
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
    return "RedisSettings[" + (tls ? "rediss://" : "") + host + ":" + port + (user == null ? "" : " as " + user)
        + ", prefix=" + keyPrefix + "]";
  }
}
