package io.shoplake.core;

import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Told of each micro-batch that a {@link JobRunner}'s jobs commit. Spark posts a batch's progress
 * after the batch's commit-log entry is written, so what is observed is durable; a batch rerun
 * after a crash had no progress posted before.
 */
public interface BatchObserver extends AutoCloseable {
  /**
   * A batch of {@code job} committed. Called on Spark's listener thread, and again for the last
   * batches when a query ends (the bus may not have delivered them yet): hand slow work off, and
   * take a batch once.
   */
  void committed(Job job, StreamingQueryProgress progress);

  /** No batch of the run is in flight: make durable what was observed before returning. */
  void flush();

  @Override
  default void close() {
    flush();
  }
}
