package io.shoplake.core;

import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Told of what a {@link JobRunner}'s jobs do: each job's query starting, each micro-batch it
 * commits, and its end. Spark posts a batch's progress after the batch's commit-log entry is
 * written, so what is observed is durable; a batch rerun after a crash had no progress posted before.
 */
public interface RunObserver extends AutoCloseable {
  /** {@code job}'s query started (its first batch may already be running). */
  default void started(Job job) {}

  /**
   * A batch of {@code job} committed. Called on Spark's listener thread, and again for the last
   * batches when a query ends (the bus may not have delivered them yet): hand slow work off, and
   * take a batch once.
   */
  default void committed(Job job, StreamingQueryProgress progress) {}

  /**
   * {@code job}'s query ended, once per start: caught up or stopped ({@code failure} null), or
   * failed; also a job that could not start, with why.
   */
  default void ended(Job job, Throwable failure) {}

  /**
   * In a continuous run, {@code job} failed (its {@link #ended} was told first) and the run
   * restarts it after a back-off or gives up; called holding the runner's lock: hand slow work off.
   */
  default void supervised(Job job, SupervisedFailure failure) {}

  /** No batch of the run is in flight: make durable what was observed before returning. */
  default void flush() {}

  @Override
  default void close() {
    flush();
  }
}
