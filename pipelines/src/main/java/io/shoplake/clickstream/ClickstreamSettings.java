package io.shoplake.clickstream;

import io.shoplake.core.ShoplakeConfig;
import java.io.Serializable;

/**
 * {@code shoplake.clickstream.*}, read once at job start.
 *
 * @param dedupeWatermarkMillis how long an event id is remembered for deduplication
 * @param allowedLatenessMillis how long after it happened an event may reach bronze
 * @param maxClockSkewMillis how far ahead of its arrival an event's client clock may be
 * @param sessionGapMillis the inactivity that ends a session
 * @param maxEventsPerMinute above this many events of one client session in one minute, a bot is suspected
 */
public record ClickstreamSettings(long dedupeWatermarkMillis, long allowedLatenessMillis, long maxClockSkewMillis,
    long sessionGapMillis, int maxEventsPerMinute) implements Serializable {

  public ClickstreamSettings {
    // Spark's watermark drops, without a trace, rows older than (newest event time - delay).
    // An accepted event is at most allowed-lateness older than its arrival, and no event is
    // more than max-clock-skew in the future, so this bound means Spark never drops one.
    if (dedupeWatermarkMillis < allowedLatenessMillis + maxClockSkewMillis) {
      throw new IllegalArgumentException("shoplake.clickstream.dedupe-watermark (" + dedupeWatermarkMillis
          + " ms) must be at least allowed-lateness + max-clock-skew (" + (allowedLatenessMillis + maxClockSkewMillis)
          + " ms): otherwise Spark's watermark would drop late events silently instead of quarantining them");
    }
    if (maxEventsPerMinute < 1) {
      throw new IllegalArgumentException("shoplake.clickstream.bot.max-events-per-minute must be positive");
    }
  }

  public static ClickstreamSettings from(ShoplakeConfig config) {
    return new ClickstreamSettings(
        config.millis("shoplake.clickstream.dedupe-watermark"),
        config.millis("shoplake.clickstream.allowed-lateness"),
        config.millis("shoplake.clickstream.max-clock-skew"),
        config.millis("shoplake.clickstream.session-gap"),
        config.integer("shoplake.clickstream.bot.max-events-per-minute"));
  }
}
