package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shoplake.testing.CapturedLogs;
import io.shoplake.testing.SharedSpark;
import java.io.Serializable;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.Level;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class JobRunnerTest {
  /** Released when a task of the never-ending batch has started writing; one per test. */
  private static volatile CountDownLatch writing;

  /**
   * A batch that ends only when its task is interrupted, as a real-time epoch does at a stop,
   * and then only after a moment, as a task that notices the interrupt between two records.
   */
  static final class EndlessBatch extends ForeachWriter<Row> {
    @Override
    public boolean open(long partitionId, long epochId) {
      return true;
    }

    @Override
    public void process(Row row) {
      writing.countDown();
      try {
        Thread.sleep(TimeUnit.MINUTES.toMillis(10));
      } catch (InterruptedException e) {
        finishRecordUninterrupted();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted mid-epoch", e);
      }
    }

    private static void finishRecordUninterrupted() {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < end) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException again) {
          // keep finishing the record; the caller restores the interrupt
        }
      }
    }

    @Override
    public void close(Throwable error) {}
  }

  private record RateJob(String name, boolean realTime, ForeachWriter<Row> writer) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return JobDeclaration.of(JobKind.CONTINUOUS);
    }

    @Override
    public StreamingQuery start(JobContext context) throws Exception {
      return context.spark().readStream().format("rate").option("rowsPerSecond", 1).option("numPartitions", 1).load()
          .writeStream().queryName(name).trigger(Trigger.ProcessingTime(100))
          .option("checkpointLocation", Files.createTempDirectory("job-runner-test").toString())
          .foreach(writer).start();
    }

    @Override
    public boolean realTime(JobContext context) {
      return realTime;
    }
  }

  static final class Discard extends ForeachWriter<Row> {
    @Override
    public boolean open(long partitionId, long epochId) {
      return true;
    }

    @Override
    public void process(Row row) {}

    @Override
    public void close(Throwable error) {}
  }

  @Test
  void aRealTimeQueryIsStoppedAtOnceMidEpochWithoutSparkReportingItsTasksAsFailures() throws Exception {
    JobContext context = context();
    Map<String, Level> levelsBefore = RealTimeStop.taskAbortLevels();
    CapturedLogs captured = CapturedLogs.attach();

    List<StreamingQuery> queries;
    long stopping;
    long stopped;
    try (JobRunner runner = new JobRunner(context)) {
      queries = startEndlessRealTimeBesideMicroBatch(runner);
      captured.events.clear();
      stopping = System.nanoTime();
      runner.close();
      stopped = System.nanoTime();
    } finally {
      captured.detach();
    }

    assertThat(queries).allSatisfy(q -> assertThat(q.isActive()).as(q.name()).isFalse());
    // The micro-batch way waits up to 30 s for a batch to end; this one never would.
    assertThat(TimeUnit.NANOSECONDS.toSeconds(stopped - stopping)).isLessThan(30);
    assertThat(captured.events).noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
    assertThat(captured.events).anyMatch(e -> e.getLoggerName().equals(RealTimeStop.class.getName())
        && e.getMessage().getFormattedMessage().contains("endless_real_time stopped mid-epoch"));
    assertThat(RealTimeStop.taskAbortLevels()).as("the silenced loggers are restored").isEqualTo(levelsBefore);
  }

  /** As on Ctrl-C of a continuous run: the shutdown hook and the main thread both close. */
  @Test
  void aSecondCloseDuringTheFirstWaitsForItAndStopsNothingTwice() throws Exception {
    JobContext context = context();
    Map<String, Level> levelsBefore = RealTimeStop.taskAbortLevels();
    CapturedLogs captured = CapturedLogs.attach();

    List<StreamingQuery> queries;
    AtomicReference<Throwable> hookFailure = new AtomicReference<>();
    try (JobRunner runner = new JobRunner(context)) {
      queries = startEndlessRealTimeBesideMicroBatch(runner);
      captured.events.clear();
      Thread hook = new Thread(runner::close, "stop-streams");
      hook.setUncaughtExceptionHandler((t, e) -> hookFailure.set(e));
      hook.start();
      // The first close is inside the real-time stop (its loggers silenced) for the two
      // seconds its task takes to end.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!RealTimeStop.taskAbortLevels().values().stream().allMatch(Level.OFF::equals)) {
        assertThat(System.nanoTime()).as("the first close silenced the task-abort loggers").isLessThan(deadline);
        Thread.sleep(5);
      }
      runner.close();
      assertThat(queries).as("stopped when the second close returns")
          .allSatisfy(q -> assertThat(q.isActive()).as(q.name()).isFalse());
      hook.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(hook.isAlive()).isFalse();
      assertThat(runner.running()).isEmpty();
    } finally {
      captured.detach();
    }

    assertThat(hookFailure.get()).isNull();
    assertThat(captured.events).filteredOn(e -> e.getLoggerName().equals(RealTimeStop.class.getName()))
        .as("the real-time query is stopped once").hasSize(1);
    assertThat(captured.events).noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
    assertThat(RealTimeStop.taskAbortLevels()).as("the silenced loggers are restored").isEqualTo(levelsBefore);
  }

  private static volatile CountDownLatch holding;
  private static volatile CountDownLatch releaseHold;
  private static final Set<String> WROTE = ConcurrentHashMap.newKeySet();

  /** A continuous job off the latency path; its batches go through the run's turns. */
  private record BackgroundJob(String name, boolean holds) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return JobDeclaration.of(JobKind.CONTINUOUS);
    }

    @Override
    public StreamingQuery start(JobContext context) throws Exception {
      Dataset<Row> ticks = context.spark().readStream().format("rate-micro-batch").option("rowsPerBatch", 1).load();
      boolean holds = this.holds;
      String name = this.name;
      return context.startForEachBatch(ticks, name, (batch, id) -> {
        WROTE.add(name);
        if (holds) {
          holding.countDown();
          if (releaseHold.await(2, TimeUnit.MINUTES)) WROTE.add(name + " finished");
        }
      });
    }
  }

  @Test
  void aStopEndsAtOnceTheQueriesWhoseBatchWaitsForItsTurnThoughTheTurnIsStillTaken() throws Exception {
    JobContext context = continuousContext("90s");
    resetHold();
    Recorded recorded = new Recorded();
    try (JobRunner runner = new JobRunner(context, List.of(recorded))) {
      StreamingQuery holder = runner.startAll(List.of(new BackgroundJob("silver.holder", true))).get(0);
      assertThat(holding.await(60, TimeUnit.SECONDS)).as("the holder's batch took the only turn").isTrue();
      StreamingQuery queued = runner.startAll(List.of(new BackgroundJob("silver.queued", false))).get(1);
      await().atMost(Duration.ofSeconds(60)).until(() -> context.background().isWaiting("silver.queued"));

      closeWhileTheHolderWrites(runner, holder, queued);
    } finally {
      releaseHold.countDown();
    }
    assertThat(WROTE).as("the queued batch never wrote").containsExactlyInAnyOrder("silver.holder", "silver.holder finished");
    assertThat(recorded.told).as("a stopped continuous query ends once, not failed").containsExactlyInAnyOrder(
        "started silver.holder", "started silver.queued", "ended silver.holder", "ended silver.queued");
    assertThat(context.background().available()).as("no turn kept by a stopped batch").isEqualTo(1);
  }

  /** A continuous run with one turn for background batches, {@code gold.ticker} on the latency path. */
  private static JobContext continuousContext(String stopGrace) throws Exception {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.storage.warehouse", Files.createTempDirectory("job-runner-test").toUri().toString(),
        "shoplake.trigger.mode", "processing-time", "shoplake.trigger.background-batches", "1",
        "shoplake.jobs.\"gold.ticker\".latency-path", "true", "shoplake.supervision.stop-grace", stopGrace));
    return new JobContext(SharedSpark.get(), config, Tables.from(config), Trigger.ProcessingTime(100));
  }

  private static void resetHold() {
    holding = new CountDownLatch(1);
    releaseHold = new CountDownLatch(1);
    WROTE.clear();
  }

  /**
   * Closes the run from another thread, as the shutdown hook does: {@code stoppedFirst} must be
   * stopped while the holder's batch still writes, and the holder once its batch is released.
   */
  private static void closeWhileTheHolderWrites(JobRunner runner, StreamingQuery holder, StreamingQuery stoppedFirst)
      throws Exception {
    Thread closing = new Thread(runner::close, "closing");
    closing.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> !stoppedFirst.isActive());
    assertThat(holder.isActive()).as("the holder's batch is still writing").isTrue();
    releaseHold.countDown();
    closing.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(closing.isAlive()).isFalse();
    assertThat(holder.isActive()).isFalse();
  }

  /**
   * Before, the stop waited for one query after another, each up to its own 30 s: a job whose
   * batches followed each other went on starting new ones while an earlier query's long batch
   * ended, and was stopped (often mid-batch) only after it.
   */
  @Test
  void aStopBeginsNoBatchWhileTheOnesWritingEndAndStopsEachQueryAsSoonAsItIsBetweenBatches() throws Exception {
    JobContext context = continuousContext("2m");
    resetHold();
    Recorded recorded = new Recorded();
    CapturedLogs captured = CapturedLogs.attach();
    try (JobRunner runner = new JobRunner(context, List.of(recorded))) {
      List<StreamingQuery> queries = runner.startAll(List.of(new BackgroundJob("silver.holder", true),
          new BackgroundJob("gold.ticker", false)));
      StreamingQuery holder = queries.get(0);
      StreamingQuery ticker = queries.get(1);
      assertThat(holding.await(60, TimeUnit.SECONDS)).as("the holder's batch is writing").isTrue();
      await().atMost(Duration.ofSeconds(60)).until(() -> WROTE.contains("gold.ticker"));

      closeWhileTheHolderWrites(runner, holder, ticker);
    } finally {
      releaseHold.countDown();
      captured.detach();
    }
    assertThat(WROTE).as("the holder's batch ended, not cut short").contains("silver.holder finished");
    assertThat(recorded.told).as("both stopped, neither failed").containsExactlyInAnyOrder(
        "started silver.holder", "started gold.ticker", "ended silver.holder", "ended gold.ticker");
    assertThat(captured.events).noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
  }

  @Test
  void aBatchStillWritingWhenTheStopGraceIsOverIsCutShortAndTheQueryEndsStoppedNotFailed() throws Exception {
    JobContext context = continuousContext("1s");
    resetHold();
    Recorded recorded = new Recorded();
    CapturedLogs captured = CapturedLogs.attach();
    long stopping;
    long stopped;
    try (JobRunner runner = new JobRunner(context, List.of(recorded))) {
      StreamingQuery holder = runner.startAll(List.of(new BackgroundJob("silver.holder", true))).get(0);
      assertThat(holding.await(60, TimeUnit.SECONDS)).as("the holder's batch is writing").isTrue();
      stopping = System.nanoTime();
      runner.close();
      stopped = System.nanoTime();
      assertThat(holder.isActive()).isFalse();
    } finally {
      releaseHold.countDown();
      captured.detach();
    }
    assertThat(TimeUnit.NANOSECONDS.toSeconds(stopped - stopping)).as("the grace, not the batch, set the wait")
        .isLessThan(15);
    assertThat(WROTE).doesNotContain("silver.holder finished");
    assertThat(recorded.told).containsExactly("started silver.holder", "ended silver.holder");
    assertThat(captured.events).noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
    assertThat(captured.events).filteredOn(e -> e.getLoggerName().equals(JobRunner.class.getName())
        && e.getLevel() == Level.WARN).singleElement().satisfies(e -> assertThat(e.getMessage().getFormattedMessage())
            .contains("silver.holder stopped mid-batch", "after the stop grace of PT1S"));
  }

  /** Whether the ticker's batch had run when this job was started. */
  private static final Map<String, Boolean> TICKED_AT_START = new ConcurrentHashMap<>();

  private record StartsAfterTheTicker(String name) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return JobDeclaration.of(JobKind.CONTINUOUS);
    }

    @Override
    public StreamingQuery start(JobContext context) throws Exception {
      TICKED_AT_START.put(name, WROTE.contains("gold.ticker"));
      return new BackgroundJob(name, false).start(context);
    }
  }

  @Test
  void aContinuousRunStartsTheLatencyPathFirstAndTheOtherJobsOnceItHasCommittedABatch() throws Exception {
    JobContext context = continuousContext("1m");
    WROTE.clear();
    TICKED_AT_START.clear();
    try (JobRunner runner = new JobRunner(context)) {
      List<StreamingQuery> queries = runner.startLatencyPathFirst(List.of(new StartsAfterTheTicker("silver.late"),
          new BackgroundJob("gold.ticker", false)));
      assertThat(queries).extracting(StreamingQuery::name).containsExactly("gold.ticker", "silver.late");
    }
    assertThat(TICKED_AT_START).containsEntry("silver.late", true);
  }

  /** What a runner told its observers of its jobs' starts and ends, in order. */
  private static final class Recorded implements RunObserver {
    final List<String> told = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Override
    public void started(Job job) {
      told.add("started " + job.name());
    }

    @Override
    public void ended(Job job, Throwable failure) {
      told.add("ended " + job.name() + (failure == null ? "" : " failed: " + failure.getMessage()));
    }
  }

  /** What the available-now tests' batches saw, by job. */
  private static final Map<String, String> SAW = new ConcurrentHashMap<>();
  private static final Set<String> ENTERED_BATCH = ConcurrentHashMap.newKeySet();
  private static final Set<String> CAUGHT_UP = ConcurrentHashMap.newKeySet();

  /**
   * One available-now batch that records which of its upstream jobs had caught up, and waits
   * (up to a minute) for {@code partner}'s batch to start: both see the other only if they
   * ran at the same time.
   */
  private record TickJob(String name, List<String> reads, String partner, boolean fails) implements Job, Serializable {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return JobDeclaration.of(JobKind.CONTINUOUS).reads(reads.stream().map(TableId::parse).toArray(TableId[]::new))
          .writes(TableDefinition.of(TableId.parse(name), new StructType().add("id", DataTypes.LongType)));
    }

    @Override
    public StreamingQuery start(JobContext context) throws Exception {
      return context.spark().readStream().format("rate-micro-batch").option("rowsPerBatch", 1).load().writeStream()
          .queryName(name).trigger(Trigger.AvailableNow())
          .option("checkpointLocation", Files.createTempDirectory("job-runner-test").toString())
          .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> tick()).start();
    }

    private void tick() throws InterruptedException {
      ENTERED_BATCH.add(name);
      SAW.put(name, reads.stream().filter(CAUGHT_UP::contains).sorted().toList().toString());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (partner != null && !ENTERED_BATCH.contains(partner) && System.nanoTime() < deadline) Thread.sleep(20);
      if (partner != null) SAW.put(name + " met", String.valueOf(ENTERED_BATCH.contains(partner)));
      if (fails) throw new IllegalStateException(name + " broke");
      CAUGHT_UP.add(name);
    }
  }

  @Test
  void availableNowRunsJobsBesideEachOtherOnlyOnceWhatTheyReadHasCaughtUp() throws Exception {
    SAW.clear();
    CAUGHT_UP.clear();
    ENTERED_BATCH.clear();
    try (JobRunner runner = new JobRunner(context(2, Trigger.AvailableNow()))) {
      runner.runToCompletion(List.of(
          new TickJob("gold.after", List.of("silver.first"), null, false),
          new TickJob("silver.first", List.of(), "silver.beside", false),
          new TickJob("silver.beside", List.of(), "silver.first", false)));
    }
    assertThat(SAW).containsEntry("silver.first met", "true").containsEntry("silver.beside met", "true")
        .as("started once silver.first had caught up").containsEntry("gold.after", "[silver.first]");
    assertThat(CAUGHT_UP).containsExactlyInAnyOrder("silver.first", "silver.beside", "gold.after");
  }

  @Test
  void aFailedJobStopsOnlyWhatReadsFromItAndTheRunThenFails() throws Exception {
    SAW.clear();
    CAUGHT_UP.clear();
    ENTERED_BATCH.clear();
    Recorded recorded = new Recorded();
    try (JobRunner runner = new JobRunner(context(2, Trigger.AvailableNow()), List.of(recorded))) {
      assertThatThrownBy(() -> runner.runToCompletion(List.of(
          new TickJob("silver.broken", List.of(), null, true),
          new TickJob("gold.downstream", List.of("silver.broken"), null, false),
          new TickJob("silver.apart", List.of(), null, false),
          new TickJob("gold.apart", List.of("silver.apart"), null, false))))
          .hasStackTraceContaining("silver.broken broke");
      assertThat(runner.running()).as("nothing left running").isEmpty();
    }
    assertThat(CAUGHT_UP).containsExactlyInAnyOrder("silver.apart", "gold.apart");
    assertThat(SAW).doesNotContainKey("gold.downstream");
    assertThat(recorded.told).as("each started job ends once, after its start; one never started is not told of")
        .hasSize(6)
        .containsSubsequence("started silver.apart", "ended silver.apart", "started gold.apart", "ended gold.apart")
        .contains("started silver.broken")
        .filteredOn(t -> t.startsWith("ended silver.broken")).singleElement().asString()
        .startsWith("ended silver.broken failed: ").contains("silver.broken broke");
    assertThat(recorded.told.indexOf("started silver.broken"))
        .isLessThan(recorded.told.indexOf(recorded.told.stream().filter(t -> t.startsWith("ended silver.broken"))
            .findFirst().orElseThrow()));
  }

  /** Per job, the batch ids its writes went through, in order; and, per job and batch, the attempts left to fail. */
  private static final Map<String, List<Long>> COMMITTED = new ConcurrentHashMap<>();
  private static final Map<String, Integer> FAILURES_PLANNED = new ConcurrentHashMap<>();

  /**
   * A continuous job over deterministic batches (one row each) whose batch fails as many times
   * as planned for it in {@link #FAILURES_PLANNED} ({@code "job/batch"}; -1: always), then goes
   * through; its checkpoint is the job's own, so a restart resumes where the last commit left it.
   */
  private record FlakyJob(String name) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return JobDeclaration.of(JobKind.CONTINUOUS);
    }

    @Override
    public StreamingQuery start(JobContext context) throws Exception {
      String name = this.name;
      Dataset<Row> ticks = context.spark().readStream().format("rate-micro-batch").option("rowsPerBatch", 1).load();
      return context.startForEachBatch(ticks, name, (batch, id) -> {
        String key = name + "/" + id;
        int left = FAILURES_PLANNED.getOrDefault(key, 0);
        if (left != 0) {
          if (left > 0) FAILURES_PLANNED.put(key, left - 1);
          throw new IllegalStateException(name + " broke in batch " + id);
        }
        COMMITTED.computeIfAbsent(name, n -> java.util.Collections.synchronizedList(new java.util.ArrayList<>())).add(id);
      });
    }
  }

  /** What a runner's supervisor did about each failure, as "job in-a-row restart-ms" (or "gave up"). */
  private static final class Supervised implements RunObserver {
    final List<String> told = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Override
    public void supervised(Job job, SupervisedFailure failure) {
      told.add(job.name() + " " + failure.inARow() + " "
          + failure.restartAfter().map(d -> d.toMillis() + "ms").orElse("gave up"));
    }
  }

  private static JobContext supervisedContext(String maxFailures) throws Exception {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.storage.warehouse", Files.createTempDirectory("job-runner-test").toUri().toString(),
        "shoplake.supervision.restart-backoff", "200ms", "shoplake.supervision.max-restart-backoff", "400ms",
        "shoplake.supervision.max-failures", maxFailures));
    return new JobContext(SharedSpark.get(), config, Tables.from(config), Trigger.ProcessingTime(100));
  }

  @Test
  void aFailedContinuousJobRestartsFromItsCheckpointWithBackOffWhileTheOthersRunOn() throws Exception {
    COMMITTED.clear();
    FAILURES_PLANNED.clear();
    FAILURES_PLANNED.put("silver.flaky/2", 2);
    FAILURES_PLANNED.put("silver.flaky/5", 1);
    Supervised supervised = new Supervised();
    Recorded recorded = new Recorded();
    CapturedLogs captured = CapturedLogs.attach();
    List<Long> flaky;
    try (JobRunner runner = new JobRunner(supervisedContext("0"), List.of(supervised, recorded))) {
      List<StreamingQuery> started = runner.startAll(List.of(new FlakyJob("silver.flaky"), new FlakyJob("silver.steady")));
      StreamingQuery steady = started.get(1);
      await().atMost(Duration.ofSeconds(90)).until(() -> COMMITTED.getOrDefault("silver.flaky", List.of()).size() >= 8);
      flaky = List.copyOf(COMMITTED.get("silver.flaky"));

      assertThat(steady.isActive()).as("the steady job's first query still runs").isTrue();
      assertThat(runner.running()).as("one query per job").hasSize(2).contains(steady)
          .allSatisfy(q -> assertThat(q.isActive()).as(q.name()).isTrue());
      runner.failIfGaveUp();
    } finally {
      captured.detach();
    }

    assertThat(flaky.subList(0, 8)).as("each batch once, in order: every restart resumed from the last commit")
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(COMMITTED.get("silver.steady").size()).as("the steady job committed all along").isGreaterThan(8);
    assertThat(supervised.told).as("back-off doubling to its cap, and a committed batch ends the run of failures")
        .containsExactly("silver.flaky 1 200ms", "silver.flaky 2 400ms", "silver.flaky 1 200ms");
    assertThat(recorded.told.stream().filter(t -> t.startsWith("started silver.flaky"))).hasSize(4);
    assertThat(recorded.told.stream().filter(t -> t.startsWith("ended silver.flaky failed:"))).hasSize(3)
        .allSatisfy(t -> assertThat(t).contains("silver.flaky broke in batch"));
    assertThat(captured.events).filteredOn(e -> e.getLoggerName().equals(JobRunner.class.getName())
            && e.getLevel() == Level.ERROR).hasSize(3)
        .allSatisfy(e -> assertThat(e.getMessage().getFormattedMessage()).startsWith("silver.flaky failed (")
            .contains("silver.flaky broke in batch").contains("restarts from its checkpoint"));
    assertThat(captured.events).filteredOn(e -> e.getLevel() == Level.INFO
            && e.getMessage().getFormattedMessage().equals("silver.steady stopped"))
        .as("one line per job stopped by the close").hasSize(1);
  }

  @Test
  void aJobThatKeepsFailingGivesTheRunUpNamingTheJobAndItsCause() throws Exception {
    COMMITTED.clear();
    FAILURES_PLANNED.clear();
    FAILURES_PLANNED.put("silver.broken/0", -1);
    Supervised supervised = new Supervised();
    try (JobRunner runner = new JobRunner(supervisedContext("3"), List.of(supervised))) {
      StreamingQuery steady = runner.startAll(List.of(new FlakyJob("silver.broken"), new FlakyJob("silver.steady")))
          .get(1);
      assertThatThrownBy(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
          runner.failIfGaveUp();
          Thread.sleep(50);
        }
      }).isInstanceOf(JobKeptFailing.class).hasMessageContaining("silver.broken failed 3 times in a row")
          .hasMessageContaining("silver.broken broke in batch 0")
          .satisfies(e -> assertThat(((JobKeptFailing) e).job()).isEqualTo("silver.broken"));
      assertThatThrownBy(runner::awaitEnd).as("the run ends at once, given up").isInstanceOf(JobKeptFailing.class);
      assertThat(steady.isActive()).as("giving up stops nothing by itself: the caller closes the run").isTrue();
    }
    assertThat(supervised.told).containsExactly("silver.broken 1 200ms", "silver.broken 2 400ms", "silver.broken 3 gave up");
    assertThat(COMMITTED).doesNotContainKey("silver.broken");
  }

  private static JobContext context(int parallelJobs, Trigger trigger) throws Exception {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.storage.warehouse", Files.createTempDirectory("job-runner-test").toUri().toString(),
        "shoplake.trigger.parallel-jobs", String.valueOf(parallelJobs)));
    return new JobContext(SharedSpark.get(), config, Tables.from(config), trigger);
  }

  private static JobContext context() throws Exception {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.storage.warehouse", Files.createTempDirectory("job-runner-test").toUri().toString()));
    return new JobContext(SharedSpark.get(), config, Tables.from(config), Trigger.ProcessingTime(100));
  }

  /** Returns once the real-time query's task is inside its never-ending batch. */
  private static List<StreamingQuery> startEndlessRealTimeBesideMicroBatch(JobRunner runner) throws Exception {
    writing = new CountDownLatch(1);
    List<StreamingQuery> queries = runner.startAll(List.of(new RateJob("endless_real_time", true, new EndlessBatch()),
        new RateJob("micro_batch", false, new Discard())));
    assertThat(writing.await(60, TimeUnit.SECONDS)).as("the endless batch started").isTrue();
    return queries;
  }


}
