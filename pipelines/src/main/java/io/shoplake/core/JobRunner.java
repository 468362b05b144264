package io.shoplake.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs under the configured trigger: available-now runs each to the end of its input,
 * after the jobs it reads from; processing-time starts them all and keeps them running until
 * stopped, restarting a job whose query fails from its checkpoint (after the back-off of {@link
 * SupervisionSettings}) while the others run on, and giving the run up when one keeps failing.
 *
 * <p>A continuous run is closed from two threads at once on Ctrl-C: the JVM's shutdown hook,
 * and the main thread once {@link #awaitEnd()} returns because the hook closed the run. So
 * the query list is guarded, and a second {@link #close()} waits for the first and finds
 * nothing left to stop.
 */
public final class JobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  private static final Duration REAL_TIME_TASKS_END = Duration.ofSeconds(15);
  private static final long SUPERVISION_TICK_MS = 500;
  private final JobContext context;
  private final List<StreamingQuery> running = new ArrayList<>();
  private final Set<UUID> realTime = new HashSet<>();
  private final List<RunObserver> observers;
  /** The jobs of this runner's queries, by query id: another runner's queries share the session's listeners. */
  private final Map<UUID, Job> jobsByQuery = new ConcurrentHashMap<>();
  private final StreamingQueryListener toObservers = new StreamingQueryListener() {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      observe(event.progress());
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
  };
  private boolean listenersAttached;
  /**
   * Query runs whose end the observers were told of: a run ends once, whichever path sees it
   * first. By run id: a restarted query keeps its id.
   */
  private final Set<UUID> ended = ConcurrentHashMap.newKeySet();
  /** A continuous run's failures of each job since it last committed a batch. */
  private final Map<String, Integer> failuresInARow = new ConcurrentHashMap<>();
  /** Failed jobs of a continuous run and when ({@link System#nanoTime()}) each restarts; guarded by this. */
  private final Map<Job, Long> restartsDue = new LinkedHashMap<>();
  /** Watches a continuous run's queries; guarded by this. */
  private ScheduledExecutorService supervisor;
  private final CountDownLatch runEnded = new CountDownLatch(1);
  private volatile JobKeptFailing gaveUp;
  /** Closed: the supervisor restarts nothing more. Guarded by this. */
  private boolean closed;

  public JobRunner(JobContext context) {
    this(context, List.of());
  }

  /**
   * {@code observers} are told of every job's start and end and every batch it commits, flushed
   * when a run ends, closed with the runner; first among them, the mirror of Kafka progress into
   * consumer groups ({@link ConsumerGroupCommits}), which every run keeps.
   */
  public JobRunner(JobContext context, List<RunObserver> observers) {
    this.context = context;
    List<RunObserver> all = new ArrayList<>();
    all.add(ConsumerGroupCommits.toBroker(context.services()::kafka));
    all.addAll(observers);
    this.observers = List.copyOf(all);
  }

  /** Tells the observers of batches from the first query on. */
  private synchronized void attachListeners() {
    if (!listenersAttached) context.spark().streams().addListener(toObservers);
    listenersAttached = true;
  }

  private void observe(StreamingQueryProgress progress) {
    Job job = progress == null ? null : jobsByQuery.get(progress.id());
    if (job == null) return;
    failuresInARow.remove(job.name());
    observers.forEach(o -> o.committed(job, progress));
  }

  private void tellStarted(Job job) {
    for (RunObserver o : observers) {
      try {
        o.started(job);
      } catch (RuntimeException e) {
        LOG.warn("{} could not take the start of {}", o, job.name(), e);
      }
    }
  }

  /** Tells the observers that {@code query} ({@code null}: it never started) of {@code job} ended. */
  private void tellEnded(Job job, StreamingQuery query, Throwable failure) {
    if (query != null && !ended.add(query.runId())) return;
    for (RunObserver o : observers) {
      try {
        o.ended(job, failure);
      } catch (RuntimeException e) {
        LOG.warn("{} could not take the end of {}", o, job.name(), e);
      }
    }
  }

  private void tellSupervised(Job job, SupervisedFailure failure) {
    for (RunObserver o : observers) {
      try {
        o.supervised(job, failure);
      } catch (RuntimeException e) {
        LOG.warn("{} could not take the failure of {}", o, job.name(), e);
      }
    }
  }

  private void flushObservers() {
    for (RunObserver o : observers) {
      try {
        o.flush();
      } catch (RuntimeException e) {
        LOG.warn("{} could not write what it observed", o, e);
      }
    }
  }

  /**
   * available-now: processes everything there is, then returns. A job starts once every job
   * writing what it reads has caught up (so one pass carries data through every layer), beside
   * at most {@code shoplake.trigger.parallel-jobs - 1} others: a small job's batch is mostly
   * planning and Delta log work on one driver thread, so running them side by side uses the
   * cores a lone one leaves idle. A job that fails stops nothing but what reads from it; the
   * run then rethrows the first failure, the others attached.
   */
  public void runToCompletion(List<Job> jobs) throws Exception {
    JobGraph graph = JobGraph.of(jobs, context.tables().topics());
    int parallel = context.triggers().parallelJobs();
    attachListeners();
    long runStart = System.nanoTime();
    List<Job> waiting = new ArrayList<>(graph.flowOrder());
    Set<String> caughtUp = new HashSet<>();
    Set<String> notDone = new HashSet<>();
    Map<String, Throwable> failures = new LinkedHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(parallel);
    CompletionService<Outcome> finished = new ExecutorCompletionService<>(threads);
    int inFlight = 0;
    try {
      while (!waiting.isEmpty() || inFlight > 0) {
        for (var it = waiting.iterator(); it.hasNext(); ) {
          Job job = it.next();
          Set<String> upstream = graph.upstream(job.name());
          if (upstream.stream().anyMatch(notDone::contains)) {
            it.remove();
            notDone.add(job.name());
            LOG.error("{} not run: it reads from {}, which did not catch up", job.name(),
                upstream.stream().filter(notDone::contains).sorted().toList());
          } else if (inFlight < parallel && caughtUp.containsAll(upstream)) {
            it.remove();
            finished.submit(() -> runOne(job));
            inFlight++;
          }
        }
        if (inFlight == 0) break;
        Outcome outcome = finished.take().get();
        inFlight--;
        if (outcome.failure() == null) {
          caughtUp.add(outcome.job());
        } else {
          notDone.add(outcome.job());
          failures.put(outcome.job(), outcome.failure());
          LOG.error("{} failed", outcome.job(), outcome.failure());
        }
      }
    } finally {
      threads.shutdownNow();
      flushObservers();
    }
    LOG.info("{} of {} jobs caught up in {} ms, at most {} at once", caughtUp.size(), jobs.size(),
        (System.nanoTime() - runStart) / 1_000_000, parallel);
    if (!failures.isEmpty()) throw firstWithOthersAttached(failures);
  }

  private record Outcome(String job, Throwable failure) {}

  private Outcome runOne(Job job) {
    long start = System.nanoTime();
    StreamingQuery query = null;
    try {
      query = startAs(job);
      jobsByQuery.put(query.id(), job);
      synchronized (this) {
        running.add(query);
      }
      tellStarted(job);
      query.awaitTermination();
      // The last reports may still be on the listener bus; observers take a batch once.
      for (var progress : query.recentProgress()) observe(progress);
      long rows = 0;
      for (var progress : query.recentProgress()) rows += progress.numInputRows();
      LOG.info("{} caught up in {} ms: {} rows in {} batches", job.name(), (System.nanoTime() - start) / 1_000_000,
          rows, query.recentProgress().length);
      tellEnded(job, query, null);
      return new Outcome(job.name(), null);
    } catch (Throwable e) {
      // One still active was interrupted, not finished: close() stops it and tells its end.
      if (query == null || !query.isActive()) tellEnded(job, query, e);
      return new Outcome(job.name(), e);
    } finally {
      if (query != null && !query.isActive()) {
        synchronized (this) {
          running.remove(query);
        }
      }
    }
  }

  /** Starts the job with its name on the thread, which its query's thread inherits: table accesses say whose they are. */
  private StreamingQuery startAs(Job job) throws Exception {
    var spark = context.spark().sparkContext();
    spark.setLocalProperty(TableAccess.JOB_PROPERTY, job.name());
    try {
      return job.start(context);
    } finally {
      spark.setLocalProperty(TableAccess.JOB_PROPERTY, null);
    }
  }

  private static Exception firstWithOthersAttached(Map<String, Throwable> failures) {
    var all = failures.values().iterator();
    Throwable first = all.next();
    all.forEachRemaining(first::addSuppressed);
    if (first instanceof Exception e) return e;
    return new IllegalStateException(failures.keySet().iterator().next() + " failed", first);
  }

  /**
   * processing-time: starts every job and returns, the run's supervisor watching them from then
   * on; see {@link #awaitEnd()} and {@link #close()}.
   */
  public synchronized List<StreamingQuery> startAll(List<Job> jobs) throws Exception {
    if (closed) return List.of();
    attachListeners();
    for (Job job : jobs) {
      StreamingQuery query;
      try {
        query = startAs(job);
      } catch (Exception e) {
        tellEnded(job, null, e);
        throw e;
      }
      track(job, query);
    }
    if (supervisor == null) {
      supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervise-jobs");
        t.setDaemon(true);
        return t;
      });
      supervisor.scheduleWithFixedDelay(this::supervise, SUPERVISION_TICK_MS, SUPERVISION_TICK_MS, TimeUnit.MILLISECONDS);
    }
    return List.copyOf(running);
  }

  /**
   * processing-time: {@link #startAll} with a head start for the latency path. Its jobs (and
   * real-time ones) start first; the others once each of its micro-batch queries has committed a
   * batch, or after {@code shoplake.trigger.latency-path-head-start}. A cold JVM's first batches
   * are mostly planning and compiling: started together, two dozen queries' first batches shared
   * the cores, and the first snapshot waited for most of them. Returns once all are started or the
   * run was closed meanwhile.
   */
  public List<StreamingQuery> startLatencyPathFirst(List<Job> jobs) throws Exception {
    List<Job> first = jobs.stream().filter(j -> context.background().onLatencyPath(j.name()) || j.realTime(context))
        .toList();
    List<Job> rest = jobs.stream().filter(j -> !first.contains(j)).toList();
    long headStartMs = context.triggers().latencyPathHeadStartMs();
    if (first.isEmpty() || rest.isEmpty() || headStartMs == 0) return startAll(jobs);
    startAll(first);
    Set<String> awaited = new HashSet<>();
    first.stream().filter(j -> !j.realTime(context)).forEach(j -> awaited.add(j.name()));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(headStartMs);
    while (System.nanoTime() - deadline < 0 && !isClosed() && !eachCommittedABatch(awaited)) Thread.sleep(100);
    LOG.info("{} on the latency path started; the other {} jobs start now", first.size(), rest.size());
    return startAll(rest);
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized boolean eachCommittedABatch(Set<String> jobNames) {
    Set<String> committed = new HashSet<>();
    for (StreamingQuery q : running) {
      if (q.lastProgress() != null) committed.add(jobsByQuery.get(q.id()).name());
    }
    return committed.containsAll(jobNames);
  }

  private void track(Job job, StreamingQuery query) {
    jobsByQuery.put(query.id(), job);
    running.add(query);
    if (job.realTime(context)) realTime.add(query.id());
    tellStarted(job);
  }

  /**
   * Blocks until the run is closed; throws {@link JobKeptFailing} if the run gave up on a job
   * first (the caller then closes it).
   */
  public void awaitEnd() throws InterruptedException {
    runEnded.await();
    failIfGaveUp();
  }

  /** Throws {@link JobKeptFailing} once the run has given up on a job that kept failing. */
  public void failIfGaveUp() {
    JobKeptFailing failure = gaveUp;
    if (failure != null) throw failure;
  }

  /**
   * One look at the continuous run: a query that ended by itself failed (close() stops queries
   * holding this runner's lock and forgets them), so its job restarts later or the run gives up;
   * jobs whose back-off is over are restarted. Never throws: the executor would stop calling.
   */
  private synchronized void supervise() {
    if (closed || gaveUp != null) return;
    try {
      for (StreamingQuery q : List.copyOf(running)) {
        if (!q.isActive()) failed(q);
      }
      long now = System.nanoTime();
      List<Job> due = new ArrayList<>();
      restartsDue.forEach((job, at) -> {
        if (at - now <= 0) due.add(job);
      });
      for (Job job : due) {
        if (gaveUp != null) break;
        restartsDue.remove(job);
        restart(job);
      }
    } catch (RuntimeException e) {
      LOG.error("The supervisor of the run's jobs could not finish a look; it looks again", e);
    }
  }

  private void failed(StreamingQuery q) {
    running.remove(q);
    realTime.remove(q.id());
    Job job = jobsByQuery.get(q.id());
    Throwable cause = q.exception().isDefined() ? q.exception().get()
        : new IllegalStateException(q.name() + " stopped, and not by this run");
    tellEnded(job, q, cause);
    handle(job, cause);
  }

  private void handle(Job job, Throwable cause) {
    int inARow = failuresInARow.merge(job.name(), 1, Integer::sum);
    SupervisedFailure failure = new SupervisedFailure(cause, inARow, context.triggers().restarts().restartAfter(inARow));
    tellSupervised(job, failure);
    if (failure.gaveUp()) {
      LOG.error("{} failed {} times in a row without committing a batch; the run gives up", job.name(), inARow, cause);
      gaveUp = new JobKeptFailing(job.name(), inARow, cause);
      runEnded.countDown();
    } else {
      long waitMs = failure.restartAfter().orElseThrow().toMillis();
      LOG.error("{} failed ({} in a row): {}; it restarts from its checkpoint in {} ms, the other jobs running on",
          job.name(), inARow, cause.toString(), waitMs, cause);
      restartsDue.put(job, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs));
    }
  }

  private void restart(Job job) {
    StreamingQuery query;
    try {
      query = startAs(job);
    } catch (Exception e) {
      tellEnded(job, null, e);
      handle(job, e);
      return;
    }
    track(job, query);
    LOG.info("{} restarted from its checkpoint", job.name());
  }

  public synchronized List<StreamingQuery> running() {
    return List.copyOf(running);
  }

  /**
   * Stops running queries, each between two micro-batches when it can: stopping one mid-batch
   * is safe (the batch reruns from the checkpoint) but aborts its writes noisily. So no batch
   * begins writing from the first moment of the stop ({@link BackgroundBatches#close()}), and
   * the batches already writing get the stop grace of {@link SupervisionSettings}, together, to
   * end; each query is stopped as soon as it is between batches. Real-time queries are never
   * between batches, so they are stopped first and at once.
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (supervisor != null) supervisor.shutdown();
    restartsDue.clear();
    context.background().close();
    List<StreamingQuery> order = new ArrayList<>(running.stream().filter(q -> realTime.contains(q.id())).toList());
    running.stream().filter(q -> !order.contains(q)).forEach(order::add);
    try {
      for (StreamingQuery q : order) {
        // One that failed since the supervisor's last look has nothing to stop; its end is told below.
        if (q.isActive() && realTime.contains(q.id())) {
          stopInTime(q, () -> RealTimeStop.stop(context.spark(), q, REAL_TIME_TASKS_END));
        }
      }
      stopBetweenBatches(order.stream().filter(q -> !realTime.contains(q.id())).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runEnded.countDown();
      return;
    }
    if (listenersAttached) {
      context.spark().streams().removeListener(toObservers);
      // The last batches' reports may still be on the listener bus, and a continuous query's
      // first ones may have been posted before its id was known here.
      order.forEach(q -> {
        for (var progress : q.recentProgress()) observe(progress);
      });
    }
    listenersAttached = false;
    for (StreamingQuery q : order) {
      Job job = jobsByQuery.get(q.id());
      if (job != null) tellEnded(job, q, q.exception().isDefined() ? q.exception().get() : null);
    }
    observers.forEach(RunObserver::close);
    running.clear();
    realTime.clear();
    runEnded.countDown();
  }

  private interface Stop {
    void run() throws TimeoutException, InterruptedException;
  }

  /** False, having said so, when the query's stop outlasted Spark's {@code spark.sql.streaming.stopTimeout}. */
  private static boolean stopInTime(StreamingQuery q, Stop stop) throws InterruptedException {
    try {
      stop.run();
      return true;
    } catch (TimeoutException e) {
      LOG.warn("{} did not stop in time", q.name());
      return false;
    }
  }

  private boolean waitsForTurn(StreamingQuery q) {
    return q.name() != null && context.background().isWaiting(q.name());
  }

  /** Stops each query once it is between batches, or waits at the gate; those still writing after the grace, mid-batch. */
  private void stopBetweenBatches(List<StreamingQuery> queries) throws InterruptedException {
    Duration grace = context.triggers().restarts().stopGrace();
    long deadline = System.nanoTime() + grace.toNanos();
    List<StreamingQuery> left = new ArrayList<>(queries);
    while (!left.isEmpty()) {
      boolean graceOver = System.nanoTime() - deadline >= 0;
      for (var it = left.iterator(); it.hasNext(); ) {
        StreamingQuery q = it.next();
        if (!q.isActive()) {
          it.remove();
        } else if (waitsForTurn(q)) {
          if (stopInTime(q, q::stop)) LOG.info("{} stopped before its waiting batch began", q.name());
          it.remove();
        } else if (graceOver || !q.status().isTriggerActive()) {
          boolean midBatch = q.status().isTriggerActive();
          if (stopInTime(q, q::stop)) {
            if (midBatch) {
              LOG.warn("{} stopped mid-batch: its batch was still writing after the stop grace of {}; it reruns "
                  + "from the checkpoint at the next start", q.name(), grace);
            } else {
              LOG.info("{} stopped", q.name());
            }
          }
          it.remove();
        }
      }
      if (!left.isEmpty()) Thread.sleep(50);
    }
  }
}
