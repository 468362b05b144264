package io.shoplake.core;

import java.time.Duration;
import java.util.Optional;

/**
 * What a continuous run does when one of its queries fails, read from {@code shoplake.supervision.*}:
 * restart the job from its checkpoint after a back-off that doubles with each failure in a row
 * (from {@code firstBackoff} up to {@code maxBackoff}), while every other job keeps running; and
 * give the whole run up once a job has failed {@code maxFailures} times in a row (0: never). A
 * batch the job commits ends its run of failures. When the run is stopped, batches already
 * writing get {@code stopGrace} to end before they are cut short.
 */
public record SupervisionSettings(Duration firstBackoff, Duration maxBackoff, int maxFailures, Duration stopGrace) {
  public SupervisionSettings {
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("shoplake.supervision: restart-backoff (" + firstBackoff
          + ") must be at least 0 and at most max-restart-backoff (" + maxBackoff + ")");
    }
    if (maxFailures < 0) {
      throw new IllegalArgumentException("shoplake.supervision.max-failures must be 0 (never give up) or more, got "
          + maxFailures);
    }
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("shoplake.supervision.stop-grace must be 0 or more, got " + stopGrace);
    }
  }

  public static SupervisionSettings from(ShoplakeConfig config) {
    return new SupervisionSettings(Duration.ofMillis(config.millis("shoplake.supervision.restart-backoff")),
        Duration.ofMillis(config.millis("shoplake.supervision.max-restart-backoff")),
        config.integer("shoplake.supervision.max-failures"),
        Duration.ofMillis(config.millis("shoplake.supervision.stop-grace")));
  }

  /** How long to wait before restarting a job that has now failed {@code inARow} times in a row; empty: the run gives up. */
  public Optional<Duration> restartAfter(int inARow) {
    if (inARow < 1) throw new IllegalArgumentException("a job has failed at least once when asked, got " + inARow);
    if (maxFailures > 0 && inARow >= maxFailures) return Optional.empty();
    Duration wait = firstBackoff;
    for (int i = 1; i < inARow && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
    return Optional.of(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
  }
}
