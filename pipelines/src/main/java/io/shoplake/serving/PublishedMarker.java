package io.shoplake.serving;

import io.shoplake.core.RedisSettings;
import io.shoplake.quality.PipelineMetrics;
import java.util.function.Consumer;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/**
 * Whether Redis still holds everything a serving job published before. A marker key names the
 * Redis instance (its {@code run_id}) that received it all; a Redis restarted without its data
 * has another run_id, and a flushed one has no marker, so the job then publishes everything
 * again rather than only the batch: what was published before the loss is gone too. Beside the
 * marker, the time of the publish: how old Redis' values are ({@code shoplake status}).
 */
final class PublishedMarker {
  private PublishedMarker() {}

  /**
   * Runs {@code write} with {@code true} when everything must be published again, else
   * {@code false}; again if Redis restarted while it wrote; then marks Redis as complete.
   *
   * @return whether everything was published
   */
  static boolean publish(RedisSettings redis, String servingJob, Consumer<Boolean> write) {
    String marker = redis.servingMarkerKey(servingJob);
    boolean resynced = false;
    while (true) {
      String before = call(redis, c -> runId(c.jedis()));
      boolean resync = !before.equals(call(redis, c -> c.jedis().get(marker)));
      write.accept(resync);
      resynced |= resync;
      if (call(redis, c -> runId(c.jedis())).equals(before)) {
        long publishedAt = System.currentTimeMillis();
        call(redis, c -> c.jedis().mset(marker, before, redis.servingPublishedAtKey(servingJob), Long.toString(publishedAt)));
        PipelineMetrics.get().published(servingJob, publishedAt);
        return resynced;
      }
    }
  }

  private static <T> T call(RedisSettings redis, Function<ResilientRedis.Connection, T> action) {
    try (ResilientRedis r = new ResilientRedis(redis)) {
      return r.call(action);
    }
  }

  /** Changes whenever Redis restarts. */
  private static String runId(Jedis jedis) {
    return jedis.info("server").lines().filter(l -> l.startsWith("run_id:"))
        .map(l -> l.substring("run_id:".length()).trim()).findFirst()
        .orElseThrow(() -> new IllegalStateException("Redis INFO server has no run_id"));
  }
}
