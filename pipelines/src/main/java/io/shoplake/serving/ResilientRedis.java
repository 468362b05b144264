package io.shoplake.serving;

import io.shoplake.core.RedisSettings;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A serving writer's Redis connection that outlasts a Redis outage: a call that cannot reach
 * Redis waits and retries (backing off to one second) for up to
 * {@link RedisSettings#outageTimeout()}, so the stream pauses instead of failing, and resumes
 * where it stopped. Every write it carries is a versioned compare-and-set, so a call retried
 * after an unknown outcome changes nothing twice. A restarted Redis has forgotten the
 * versioned-write script; it is loaded again.
 */
public final class ResilientRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientRedis.class);

  private final RedisSettings settings;
  private Jedis jedis;
  private String scriptSha;

  public ResilientRedis(RedisSettings settings) {
    this.settings = settings;
  }

  /** Runs {@code action} with a live connection and the versioned-write script's SHA loaded. */
  public <T> T call(Function<Connection, T> action) {
    long deadline = System.nanoTime() + settings.outageTimeout().toNanos();
    long backoffMs = 10;
    while (true) {
      try {
        if (jedis == null) {
          jedis = settings.connect();
          scriptSha = jedis.scriptLoad(VersionedHashWriter.SCRIPT);
        }
        return action.apply(new Connection(jedis, scriptSha));
      } catch (JedisConnectionException | JedisDataException e) {
        boolean lostScript = e instanceof JedisDataException && String.valueOf(e.getMessage()).startsWith("NOSCRIPT");
        if (e instanceof JedisDataException && !lostScript) throw e;
        closeQuietly();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Redis " + settings + " unreachable for " + settings.outageTimeout()
              + " (shoplake.redis.outage-timeout)", e);
        }
        LOG.warn("Redis {} unavailable ({}); retrying in {} ms", settings, e.getMessage(), backoffMs);
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, Duration.ofSeconds(1).toMillis());
      }
    }
  }

  /** What an action gets: the connection and the SHA of {@link VersionedHashWriter#SCRIPT}. */
  public record Connection(Jedis jedis, String scriptSha) {}

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    }
  }

  private void closeQuietly() {
    if (jedis != null) {
      try {
        jedis.close();
      } catch (RuntimeException ignored) {
        // The connection is already broken; a new one follows.
      }
      jedis = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
