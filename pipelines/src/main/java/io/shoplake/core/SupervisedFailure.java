package io.shoplake.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A continuous run's job failed, and what the run does about it: restart the job after {@code
 * restartAfter}, or (empty) give the whole run up, the job having failed {@code inARow} times
 * without a batch committed in between.
 */
public record SupervisedFailure(Throwable cause, int inARow, Optional<Duration> restartAfter) {
  public boolean gaveUp() {
    return restartAfter.isEmpty();
  }
}
