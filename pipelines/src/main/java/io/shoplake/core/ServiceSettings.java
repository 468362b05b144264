package io.shoplake.core;

import com.google.common.base.Suppliers;
import java.util.function.Supplier;

/**
 * How jobs reach the services around them (Kafka, Redis, the lineage backend) and the key that
 * pseudonymises personal data. Each is resolved from the layered config the first time a job asks for it, then kept: a
 * job without Redis runs where no Redis is configured, and a missing key is named when it is needed.
 */
public final class ServiceSettings {
  private final Supplier<KafkaSettings> kafka;
  private final Supplier<RedisSettings> redis;
  private final Supplier<String> piiKey;
  private final Supplier<LineageSettings> lineage;

  private ServiceSettings(Supplier<KafkaSettings> kafka, Supplier<RedisSettings> redis, Supplier<String> piiKey,
      Supplier<LineageSettings> lineage) {
    this.kafka = Suppliers.memoize(kafka::get);
    this.redis = Suppliers.memoize(redis::get);
    this.piiKey = Suppliers.memoize(piiKey::get);
    this.lineage = Suppliers.memoize(lineage::get);
  }

  public static ServiceSettings from(ShoplakeConfig config) {
    return new ServiceSettings(() -> KafkaSettings.from(config), () -> RedisSettings.from(config),
        () -> config.string("shoplake.pii.key"), () -> LineageSettings.from(config));
  }

  public KafkaSettings kafka() {
    return kafka.get();
  }

  public RedisSettings redis() {
    return redis.get();
  }

  public LineageSettings lineage() {
    return lineage.get();
  }

  /** The secret itself: hand it only to what pseudonymises, never to a log line. */
  public String piiKey() {
    return piiKey.get();
  }
}
