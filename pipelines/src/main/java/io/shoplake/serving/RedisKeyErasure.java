package io.shoplake.serving;

import io.shoplake.core.ErasureTarget;
import io.shoplake.core.RedisSettings;
import redis.clients.jedis.Jedis;

/** A customer's serving value in Redis, {@code <prefix>:<kind>:<customer_id>} (docs/contracts.md). */
public final class RedisKeyErasure implements ErasureTarget {
  private final RedisSettings redis;
  private final String kind;

  public RedisKeyErasure(RedisSettings redis, String kind) {
    this.redis = redis;
    this.kind = kind;
  }

  String key(long customerId) {
    return redis.keyPrefix() + ":" + kind + ":" + customerId;
  }

  @Override
  public String name() {
    return "redis " + redis.keyPrefix() + ":" + kind + ":<customer_id>";
  }

  @Override
  public long erase(Context context) {
    try (Jedis jedis = redis.connect()) {
      return jedis.del(key(context.customerId()));
    }
  }
}
