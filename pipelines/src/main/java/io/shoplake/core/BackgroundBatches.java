package io.shoplake.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * In a continuous run, lets at most {@code shoplake.trigger.background-batches} micro-batches of
 * jobs off the latency path write at once; jobs marked {@code shoplake.jobs."<job>".latency-path}
 * are never held. Two dozen queries planning and committing side by side on a small machine
 * each got a sliver of the cores, so the availability path's short batches took many times their
 * own cost. Held back, the other jobs each take what piled up in one larger batch, which costs
 * less per row too. The permits are first come, first served, so no job starves.
 */
public final class BackgroundBatches {
  private final Semaphore permits;
  private final Set<String> latencyPath;
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  /** Where batches wait once the run is stopping; only their query's stop (an interrupt) ends the wait. */
  private final CountDownLatch neverOpens = new CountDownLatch(1);

  public BackgroundBatches(int permits, Set<String> latencyPath) {
    if (permits < 1) throw new IllegalArgumentException("shoplake.trigger.background-batches must be at least 1, got " + permits);
    this.permits = new Semaphore(permits, true);
    this.latencyPath = Set.copyOf(latencyPath);
  }

  public boolean onLatencyPath(String jobName) {
    return latencyPath.contains(jobName);
  }

  /**
   * The job's batch writer, waiting for a permit first unless the job is on the latency path;
   * once {@link #close()}d, every job's batch waits at the gate until its query is stopped.
   */
  public VoidFunction2<Dataset<Row>, Long> admit(String jobName, VoidFunction2<Dataset<Row>, Long> batchWriter) {
    boolean held = !onLatencyPath(jobName);
    return (batch, batchId) -> {
      // Interrupted while waiting (the query is being stopped): Spark ends the query as stopped.
      waiting.add(jobName);
      try {
        if (held) permits.acquire();
        if (closed) {
          if (held) permits.release();
          neverOpens.await();
        }
      } finally {
        waiting.remove(jobName);
      }
      try {
        // A permit freed at the moment of the interrupt is still handed over (Semaphore
        // acquires before it looks at the interrupt): a stopped query's batch must not run.
        if (Thread.interrupted()) throw new InterruptedException(jobName + " was stopped while its batch waited");
        batchWriter.call(batch, batchId);
      } finally {
        if (held) permits.release();
      }
    };
  }

  /**
   * The run is stopping: no batch begins writing from now on, so that the stop waits only for
   * those already writing. A batch that reaches the gate waits there, having written nothing,
   * until its query is stopped.
   */
  public void close() {
    closed = true;
  }

  /** Whether the job's current batch waits for its turn, so has written nothing yet. */
  public boolean isWaiting(String jobName) {
    return waiting.contains(jobName);
  }

  /** Permits not taken now: for tests and status. */
  public int available() {
    return permits.availablePermits();
  }
}
