package io.shoplake.core;

import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * One job: reads its inputs through the table registry, calls a transformation, writes.
 * Streaming jobs return their started query; the runner decides how long it runs.
 */
public interface Job {
  /** Registry-style name, e.g. {@code silver.inventory}; also names its checkpoint. */
  String name();

  /** What it reads and writes, and its kind; see {@link JobGraph}. */
  JobDeclaration declaration(Topics topics);

  StreamingQuery start(JobContext context) throws Exception;

  /**
   * Whether {@link #start} runs the query in Spark's real-time mode in this context. Its
   * batches (epochs) last minutes, so a runner stops it mid-epoch instead of waiting for one
   * to end; see {@link RealTimeStop}.
   */
  default boolean realTime(JobContext context) {
    return false;
  }
}
