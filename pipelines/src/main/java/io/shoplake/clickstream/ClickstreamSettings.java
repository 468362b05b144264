package io.shoplake.clickstream;

import io.shoplake.core.ShoplakeConfig;
import java.io.Serializable;

/**
 * {@code shoplake.clickstream.*}, read once at job start.
 *
 * @param dedupeWatermarkMillis how long after its arrival in bronze an event id is remembered by the stream
 * @param allowedLatenessMillis how long after it happened an event may reach Kafka
 * @param maxClockSkewMillis how far ahead of its arrival in Kafka an event's client clock may be
 * @param sessionGapMillis the inactivity that ends a session
 * @param maxEventsPerMinute above this many events of one client session in one minute, a bot is suspected
 */
public record ClickstreamSettings(long dedupeWatermarkMillis, long allowedLatenessMillis, long maxClockSkewMillis,
    long sessionGapMillis, int maxEventsPerMinute) implements Serializable {

  public ClickstreamSettings {
    for (long millis : new long[] {dedupeWatermarkMillis, allowedLatenessMillis, maxClockSkewMillis, sessionGapMillis}) {
      if (millis <= 0) {
        throw new IllegalArgumentException("shoplake.clickstream durations (dedupe-watermark, allowed-lateness,"
            + " max-clock-skew, session-gap) must be positive");
      }
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
