package io.shoplake.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job's state as the engineer on call reads it. A job is judged by its input, not by its
 * clock: one that has nothing to read is fine however long ago its last batch was, and one whose
 * oldest unread input has waited longer than {@code shoplake.status.stale-after} is behind. One
 * that failed in a continuous run after its last commit is failing, whatever its input: the run
 * restarts it, but until a batch commits nobody knows that the cause went.
 */
public record JobHealth(String job, State state, Optional<CheckpointProgress> progress, List<SourceLag.Lag> lags,
    Optional<Instant> waitingSince, Optional<LastFailure> failure) {

  /** A job's newest row in {@code quality.job_failures}. */
  public record LastFailure(Instant failedAt, int inARow, String cause) {}

  public enum State {
    OK("ok", false),
    CATCHING_UP("catching up", false),
    FAILING("FAILING", true),
    BEHIND("BEHIND", true),
    NEVER_RAN("NEVER RAN", true),
    UNKNOWN("UNKNOWN", true);

    public final String label;
    public final boolean red;

    State(String label, boolean red) {
      this.label = label;
      this.red = red;
    }
  }

  public JobHealth {
    lags = List.copyOf(lags);
  }

  /**
   * Judges a job from its checkpoint's progress (empty: it never committed a batch), the lag of
   * each of its sources and its last failure in a continuous run, if any. Input whose arrival
   * time is unknown counts as waiting since the job's last batch.
   */
  public static JobHealth of(String job, Optional<CheckpointProgress> progress, List<SourceLag.Lag> lags,
      Optional<LastFailure> lastFailure, Instant now, Duration staleAfter) {
    Optional<LastFailure> failing = lastFailure.filter(f -> progress.isEmpty()
        || f.failedAt().isAfter(progress.get().committedAt()));
    if (failing.isPresent()) return new JobHealth(job, State.FAILING, progress, lags, Optional.empty(), failing);
    if (progress.isEmpty()) return new JobHealth(job, State.NEVER_RAN, progress, lags, Optional.empty(), failing);
    if (lags.stream().anyMatch(l -> l.unread() < 0)) {
      return new JobHealth(job, State.UNKNOWN, progress, lags, Optional.empty(), failing);
    }
    // While the first batch runs, its input has waited since it began (committedAt says when).
    Optional<Instant> waiting = progress.get().committedBatch() < 0 ? Optional.of(progress.get().committedAt())
        : lags.stream().filter(l -> l.unread() > 0)
            .map(l -> l.waitingSince().orElse(progress.get().committedAt()))
            .min(Instant::compareTo);
    if (waiting.isEmpty()) return new JobHealth(job, State.OK, progress, lags, waiting, failing);
    State state = Duration.between(waiting.get(), now).compareTo(staleAfter) > 0 ? State.BEHIND : State.CATCHING_UP;
    return new JobHealth(job, state, progress, lags, waiting, failing);
  }
}
