package io.shoplake.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs under the configured trigger: available-now runs them one after the other, each
 * to the end of its input (so one pass carries data through every layer); processing-time
 * starts them all and keeps them running until stopped or one fails.
 *
 * <p>A continuous run is closed from two threads at once on Ctrl-C: the JVM's shutdown hook,
 * and the main thread once {@link #awaitAny()} returns because the hook stopped a query. So
 * the query list is guarded, and a second {@link #close()} waits for the first and finds
 * nothing left to stop.
 */
public final class JobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final Duration REAL_TIME_TASKS_END = Duration.ofSeconds(15);
  private final JobContext context;
  private final List<StreamingQuery> running = new ArrayList<>();
  private final Set<UUID> realTime = new HashSet<>();

  public JobRunner(JobContext context) {
    this.context = context;
  }

  /** available-now: process everything there is, job by job, then return. */
  public void runToCompletion(List<Job> jobs) throws Exception {
    for (Job job : jobs) {
      long start = System.nanoTime();
      StreamingQuery query = job.start(context);
      query.awaitTermination();
      long rows = 0;
      for (var progress : query.recentProgress()) rows += progress.numInputRows();
      LOG.info("{} caught up in {} ms: {} rows in {} batches", job.name(), (System.nanoTime() - start) / 1_000_000,
          rows, query.recentProgress().length);
    }
  }

  /** processing-time: starts every job and returns; see {@link #awaitAny()} and {@link #close()}. */
  public synchronized List<StreamingQuery> startAll(List<Job> jobs) throws Exception {
    for (Job job : jobs) {
      StreamingQuery query = job.start(context);
      running.add(query);
      if (job.realTime(context)) realTime.add(query.id());
    }
    return List.copyOf(running);
  }

  /** Blocks until a query stops; rethrows its failure. */
  public void awaitAny() throws Exception {
    context.spark().streams().awaitAnyTermination();
    for (StreamingQuery q : running()) {
      if (q.exception().isDefined()) throw q.exception().get();
    }
  }

  public synchronized List<StreamingQuery> running() {
    return List.copyOf(running);
  }

  /**
   * Stops running queries, each between two micro-batches when it can: stopping one mid-batch
   * is safe (the batch reruns from the checkpoint) but aborts its tasks noisily. Real-time
   * queries are never between batches, so they are stopped first and at once.
   */
  @Override
  public synchronized void close() {
    List<StreamingQuery> realTimeFirst = new ArrayList<>(running);
    realTimeFirst.sort(Comparator.comparing(q -> !realTime.contains(q.id())));
    for (StreamingQuery q : realTimeFirst) {
      try {
        if (realTime.contains(q.id())) RealTimeStop.stop(context.spark(), q, REAL_TIME_TASKS_END);
        else stopBetweenBatches(q);
      } catch (TimeoutException e) {
        LOG.warn("{} did not stop in time", q.name());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    running.clear();
    realTime.clear();
  }

  private static void stopBetweenBatches(StreamingQuery q) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (q.isActive() && q.status().isTriggerActive() && System.nanoTime() < deadline) Thread.sleep(50);
    q.stop();
  }
}
