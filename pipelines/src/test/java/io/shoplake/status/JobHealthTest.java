package io.shoplake.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobHealthTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofMinutes(10);
  private static final CheckpointProgress COMMITTED_A_MINUTE_AGO =
      new CheckpointProgress(41, NOW.minusSeconds(60), 41, List.of("{}"));

  private static Optional<JobHealth.LastFailure> failed(Instant at) {
    return Optional.of(new JobHealth.LastFailure(at, 2, "java.lang.IllegalStateException: Redis unreachable"));
  }

  @Test
  void aJobThatFailedAfterItsLastCommitIsFailingThoughNothingWaits() {
    JobHealth health = JobHealth.of("serving.availability", Optional.of(COMMITTED_A_MINUTE_AGO), List.of(),
        failed(NOW.minusSeconds(30)), NOW, STALE_AFTER);

    assertThat(health.state()).isEqualTo(JobHealth.State.FAILING);
    assertThat(health.state().red).isTrue();
    assertThat(health.failure()).get().extracting(JobHealth.LastFailure::inARow).isEqualTo(2);
  }

  @Test
  void aFailureBeforeTheLastCommitIsOverAndTheJobIsJudgedByItsInput() {
    JobHealth health = JobHealth.of("serving.availability", Optional.of(COMMITTED_A_MINUTE_AGO), List.of(),
        failed(NOW.minusSeconds(90)), NOW, STALE_AFTER);

    assertThat(health.state()).isEqualTo(JobHealth.State.OK);
    assertThat(health.failure()).isEmpty();
  }

  @Test
  void aJobThatFailedBeforeItsFirstBatchIsFailingNotNeverRan() {
    assertThat(JobHealth.of("serving.availability", Optional.empty(), List.of(), failed(NOW.minusSeconds(5)), NOW,
        STALE_AFTER).state()).isEqualTo(JobHealth.State.FAILING);
    assertThat(JobHealth.of("serving.availability", Optional.empty(), List.of(), Optional.empty(), NOW,
        STALE_AFTER).state()).isEqualTo(JobHealth.State.NEVER_RAN);
  }
}
