package io.shoplake.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_millis;

import io.shoplake.RunObservers;
import io.shoplake.Pipeline;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.Percentiles;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.demo.IngestMetrics;
import io.shoplake.demo.RunningPipeline;
import io.shoplake.demo.ServedProbes;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.devstack.process.Files2;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.ingest.KafkaLag;
import io.shoplake.serving.FreshnessRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The whole pipeline as {@code run pipeline --continuous} runs it (every job, the hot path
 * included) on a devstack of its own, while the simulator sends the shop's events at a set rate:
 * a table per minute of what came in, how far ingest is behind and what it cost, then how fresh
 * each served table was. With {@code findCapacity}, steps the rate up until ingest falls behind.
 */
public final class PipelineBenchmark {
  public record Options(String env, Map<String, String> overrides, Path home, int rate, Duration warmup,
      Duration duration, boolean findCapacity, Duration step) {}

  /** Rows of the probe locations {@link ServedProbes} changes, and how often. */
  private static final int PROBE_ROWS = 20;
  private static final double PROBES_PER_SECOND = 2;
  private static final Duration MINUTE = Duration.ofMinutes(1);
  /** How long the served tables get, after the load stops, to show the last measured changes. */
  private static final Duration SETTLE = Duration.ofSeconds(45);
  private static final double CAPACITY_STEP = 1.5;

  private final Options options;
  private final PrintStream out;
  private final List<Sample> samples = new ArrayList<>();
  private final QueryCosts costs = new QueryCosts();
  private final java.util.Set<Long> simulatorPids = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public PipelineBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** What was measured at one instant; rates come from two of them. */
  private record Sample(long nanos, long eventsNanos, String phase, int rate, Map<String, Long> events, long lag,
      double machineCpu,
      Map<String, ProcessMeter.Reading> processes, long heapUsed, long oldGenUsed, long gcMillis, long jitMillis,
      long sparkCompiles) {
    long totalEvents() {
      return events.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public int run() throws Exception {
    Path devstackDir = options.home().resolve("bench-pipeline-devstack");
    out.println("Starting the devstack (Kafka, PostgreSQL + Debezium, Redis)...");
    try (DevstackProcess devstack = DevstackProcess.startAfresh(devstackDir,
        options.home().resolve("bench-pipeline-devstack-down.log"), Duration.ofMinutes(4))) {
      // The topics are new with the devstack: so must be the tables and checkpoints reading them.
      Path warehouse = devstackDir.resolve("warehouse");
      Files2.deleteRecursively(warehouse);
      ShoplakeConfig config = ShoplakeConfig.load(options.env(), options.overrides(), devstack.endpointsFile())
          .with("shoplake.trigger.mode", "processing-time")
          .with("shoplake.storage.warehouse", warehouse.toUri().toString());
      PostgresSettings pg = PostgresSettings.from(config);
      RedisSettings redis = RedisSettings.from(config);
      try (Connection setup = pg.connect()) {
        ServedProbes.createRows(setup, PROBE_ROWS);
      }

      long started = System.nanoTime();
      SparkSession spark = SparkSessionFactory.create(config);
      IngestMetrics ingest = new IngestMetrics(BronzeIngestJob.NAME);
      spark.streams().addListener(ingest);
      spark.streams().addListener(costs);
      JobContext context = JobContext.create(spark, config);
      Tables tables = context.tables();
      TableBootstrap.ensure(spark, tables, Pipeline.tables(config));
      double sessionSeconds = seconds(System.nanoTime() - started);
      Map<String, List<String>> kinds = TopicCounts.sourcesByKind(Topics.from(config));
      ProcessMeter meter = new ProcessMeter(processGroups(devstack.stateDir()));

      try (JobRunner runner = new JobRunner(context, RunObservers.of(context));
           KafkaLag lag = KafkaLag.connect(KafkaSettings.from(config).connection());
           TopicCounts counts = new TopicCounts(KafkaSettings.from(config).connection(), kinds);
           Connection db = pg.connect()) {
        runner.startLatencyPathFirst(Pipeline.jobs(config));
        out.printf("Pipeline started: %d jobs (warehouse %s). Waiting for the first served snapshot...%n",
            runner.running().size(), tables.warehouse());
        double firstServed = awaitFirstServed(runner, started);
        out.printf("First snapshot served %.0f s after start (Spark session and tables: %.0f s).%n",
            firstServed, sessionSeconds);

        Sampler sampler = (phase, rate) -> sample(phase, rate, counts, lag, ingest, meter);
        try (ServedProbes probes = ServedProbes.start(db, redis, PROBES_PER_SECOND)) {
          if (options.findCapacity()) {
            findCapacity(devstack, runner, sampler);
          } else {
            steady(devstack, runner, sampler, probes, spark, tables, firstServed);
          }
        }
      }
    }
    return 0;
  }

  @FunctionalInterface
  private interface Sampler {
    Sample take(String phase, int rate) throws Exception;
  }

  private void steady(DevstackProcess devstack, JobRunner runner, Sampler sampler, ServedProbes probes,
      SparkSession spark, Tables tables, double firstServed) throws Exception {
    int rate = options.rate();
    Process simulator = startSimulator(devstack, rate, options.warmup().plus(options.duration()).plus(SETTLE), 1);
    try {
      printHeader();
      Sample previous = sampler.take("start", rate);
      previous = runFor(options.warmup(), "warm-up", rate, previous, runner, sampler, simulator);
      FreshnessRecorder.reset();
      probes.drain();
      costs.reset();
      long measuredFrom = System.currentTimeMillis();
      Sample measureStart = previous;
      previous = runFor(options.duration(), "measured", rate, previous, runner, sampler, simulator);
      long measuredTo = System.currentTimeMillis();
      Sample measureEnd = previous;
      List<QueryCosts.Cost> measuredCosts = costs.costs();
      List<Long> hot = new ArrayList<>(probes.drain());
      List<Long> lakehouseServed = FreshnessRecorder.samples();
      stop(simulator);
      out.printf("Load stopped; giving the pipeline %d s to serve the last measured changes...%n", SETTLE.toSeconds());
      Thread.sleep(SETTLE.toMillis());
      runner.failIfGaveUp();
      hot.addAll(probes.drain());

      summary(measureStart, measureEnd, firstServed);
      out.printf("%n%-52s %7s %9s %9s %9s %9s%n", "freshness (PostgreSQL commit -> visible)", "n", "p50 ms", "p95 ms",
          "p99 ms", "max ms");
      printLatencies("gold.inventory_availability (row versions)",
          commitToGold(spark, tables, Tables.GOLD_INVENTORY_AVAILABILITY, measuredFrom, measuredTo));
      printLatencies("gold.product_availability (row versions)",
          commitToGoldByVersion(spark, tables, Tables.GOLD_PRODUCT_AVAILABILITY, measuredFrom, measuredTo));
      printLatencies("Redis through the lakehouse (serving.availability)", lakehouseServed);
      printLatencies("Redis through the hot path (probe rows)", hot);
      out.println("not measured: gold.funnel_hourly, gold.revenue_per_minute, silver.order_lifecycle"
          + " (their rows carry no source commit time)");
      if (probes.missed() > 0) {
        out.printf("%d probe(s) skipped: their row's previous probe was not served yet%n", probes.missed());
      }
      printCosts(measuredCosts, seconds(measureEnd.nanos() - measureStart.nanos()));
    } finally {
      stop(simulator);
    }
  }

  /**
   * Steps the rate up by {@value #CAPACITY_STEP}x, each rate held for the step's length, until
   * the lag grows for two minutes or the simulator cannot send the rate asked.
   */
  private void findCapacity(DevstackProcess devstack, JobRunner runner, Sampler sampler) throws Exception {
    int rate = options.rate();
    Process warmup = startSimulator(devstack, rate, options.warmup().plus(MINUTE), 1);
    printHeader();
    Sample previous = sampler.take("start", rate);
    try {
      previous = runFor(options.warmup(), "warm-up", rate, previous, runner, sampler, warmup);
    } finally {
      stop(warmup);
    }
    double held = 0;
    String verdict;
    // Two minutes of lag growth decide, after a minute for the new rate to take over.
    long stepMinutes = Math.max(3, options.step().toMinutes());
    for (int step = 2; ; step++) {
      Process simulator = startSimulator(devstack, rate, Duration.ofMinutes(stepMinutes + 1), step);
      Sample stepStart = previous;
      List<Long> lags = new ArrayList<>(List.of(previous.lag()));
      try {
        for (long minutes = 0; minutes < stepMinutes; minutes++) {
          previous = runFor(MINUTE, "step " + (step - 1), rate, previous, runner, sampler, simulator);
          lags.add(previous.lag());
        }
      } finally {
        stop(simulator);
      }
      double achieved = perSecond(stepStart, previous);
      if (LagTrend.grows(lags, 2, Math.round(achieved * 10))) {
        verdict = String.format("ingest lag grew for two minutes at %,d events/s asked (%,.0f sent)", rate, achieved);
        break;
      }
      if (achieved < rate * 0.9) {
        verdict = String.format("the simulator sent %,.0f of the %,d events/s asked: the machine cannot drive more",
            achieved, rate);
        held = Math.max(held, achieved);
        break;
      }
      held = achieved;
      rate = (int) Math.ceil(rate * CAPACITY_STEP);
    }
    out.printf("%nhighest rate held with every job running: %,.0f events/s (%s)%n", held, verdict);
  }

  /** Samples once a minute for {@code length}, printing each minute's row. */
  private Sample runFor(Duration length, String phase, int rate, Sample previous, JobRunner runner, Sampler sampler,
      Process simulator) throws Exception {
    long end = System.nanoTime() + length.toNanos();
    while (System.nanoTime() < end) {
      long next = Math.min(end, previous.nanos() + MINUTE.toNanos());
      while (System.nanoTime() < next) {
        Thread.sleep(Math.min(1_000, Math.max(1, (next - System.nanoTime()) / 1_000_000)));
        runner.failIfGaveUp();
        if (!simulator.isAlive()) throw new IllegalStateException("the simulator stopped early; see its log");
      }
      Sample now = sampler.take(phase, rate);
      printRow(previous, now);
      samples.add(now);
      previous = now;
    }
    return previous;
  }

  private Sample sample(String phase, int rate, TopicCounts counts, KafkaLag lag, IngestMetrics ingest,
      ProcessMeter meter) throws Exception {
    long oldGen = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) oldGen += pool.getUsage().getUsed();
    }
    long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    var jit = ManagementFactory.getCompilationMXBean();
    // CPU is read at once; the brokers can take seconds to answer under load, so the event
    // counts carry the time they came back, and rates of events are taken between those.
    long nanos = System.nanoTime();
    double machineCpu = ProcessMeter.machineBusySeconds();
    Map<String, ProcessMeter.Reading> processes = meter.read();
    Map<String, Long> events = counts.now();
    long eventsNanos = System.nanoTime();
    return new Sample(nanos, eventsNanos, phase, rate, events, lag.now(ingest.readTo()), machineCpu, processes,
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), oldGen, gc,
        jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0,
        CodegenMetrics.METRIC_COMPILATION_TIME().getCount());
  }

  private void printHeader() {
    out.printf("%n%-7s %-9s %7s %7s %7s %7s %7s %9s %6s %8s %6s %6s %7s %8s %7s%n", "minute", "phase", "asked/s",
        "sent/s", "changes", "outbox", "clicks", "lag recs", "cores", "pipeline", "gc", "jit", "classes", "cpu-s/1k",
        "old MiB");
    out.println("(per second of each minute; cores: the whole machine's, pipeline: its JVM's; gc, jit: that JVM's"
        + " collector and compiler time; classes: Spark's generated classes compiled in the minute, its code cache's misses)");
  }

  private void printRow(Sample from, Sample to) {
    double wall = seconds(to.nanos() - from.nanos());
    double eventsWall = seconds(to.eventsNanos() - from.eventsNanos());
    double events = to.totalEvents() - from.totalEvents();
    double cores = (to.machineCpu() - from.machineCpu()) / wall;
    double pipeline = (cpu(to, "pipeline") - cpu(from, "pipeline")) / wall;
    out.printf("%-7s %-9s %7d %7.0f %7.0f %7.0f %7.0f %9d %6.2f %8.2f %6.2f %6.2f %7d %8s %7d%n",
        samples.size() + 1, to.phase(), to.rate(), events / eventsWall, rate(from, to, "changes", eventsWall),
        rate(from, to, "outbox", eventsWall), rate(from, to, "clicks", eventsWall), to.lag(), cores, pipeline,
        (to.gcMillis() - from.gcMillis()) / 1000.0 / wall, (to.jitMillis() - from.jitMillis()) / 1000.0 / wall,
        to.sparkCompiles() - from.sparkCompiles(), events == 0 ? "-" : String.format("%.2f", (to.machineCpu() - from.machineCpu()) * 1000 / events),
        to.oldGenUsed() >> 20);
  }

  private void summary(Sample from, Sample to, double firstServed) {
    double wall = seconds(to.eventsNanos() - from.eventsNanos());
    double events = to.totalEvents() - from.totalEvents();
    out.printf("%n== %d events/s asked for %s: %,.0f events/s sent (changes %,.0f, outbox %,.0f, clicks %,.0f) ==%n",
        options.rate(), options.duration(), events / wall, rate(from, to, "changes", wall),
        rate(from, to, "outbox", wall), rate(from, to, "clicks", wall));
    List<Long> lags = samples.stream().filter(s -> s.phase().equals("measured")).map(Sample::lag).toList();
    List<Long> withStart = new ArrayList<>(List.of(from.lag()));
    withStart.addAll(lags);
    out.printf("ingest lag: %,d records at the start, %,d at the end, at most %,d: %s%n", from.lag(), to.lag(),
        Collections.max(withStart),
        LagTrend.growsOver(withStart, Math.round(events / wall * 10)) ? "GROWS (the pipeline does not keep up)"
            : "bounded");
    out.printf("first served snapshot: %.0f s after start%n", firstServed);
    out.printf("CPU per 1,000 events: %.2f s on the whole machine, %.2f s in the pipeline JVM (%d cores)%n",
        (to.machineCpu() - from.machineCpu()) * 1000 / Math.max(1, events),
        (cpu(to, "pipeline") - cpu(from, "pipeline")) * 1000 / Math.max(1, events),
        Runtime.getRuntime().availableProcessors());
    long peakHeap = samples.stream().mapToLong(Sample::heapUsed).max().orElse(0);
    out.printf("pipeline JVM heap: peak used %,d MiB of %,d MiB max; old generation %,d MiB at the start, %,d MiB"
            + " at the end%n", peakHeap >> 20, Runtime.getRuntime().maxMemory() >> 20, from.oldGenUsed() >> 20,
        to.oldGenUsed() >> 20);
    out.print("peak resident memory:");
    from.processes().keySet().forEach(g -> out.printf(" %s %,d MiB;", g, peakRss(g) >> 20));
    out.println();
  }

  /** Each query's share of the measured time: the fixed cost per batch shows as batches x median. */
  private void printCosts(List<QueryCosts.Cost> costs, double wallSeconds) {
    out.printf("%n%-32s %8s %10s %9s %8s %10s %10s%n", "query (measured time)", "batches", "with input", "median ms",
        "busy s", "busy/wall", "rows");
    for (QueryCosts.Cost c : costs) {
      out.printf("%-32s %8d %10d %9d %8.1f %10.2f %,10d%n", c.query(), c.batches(), c.withInput(), c.medianMillis(),
          c.busyMillis() / 1000.0, c.busyMillis() / 1000.0 / wallSeconds, c.rows());
    }
  }

  private long peakRss(String group) {
    return samples.stream().mapToLong(s -> s.processes().get(group).rssBytes()).max().orElse(0);
  }

  private void printLatencies(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      out.printf("%-52s %7d %9s %9s %9s %9s%n", what, 0, "-", "-", "-", "-");
      return;
    }
    out.printf("%-52s %7d %9d %9d %9d %9d%n", what, sorted.size(), Percentiles.nearestRank(sorted, 50),
        Percentiles.nearestRank(sorted, 95), Percentiles.nearestRank(sorted, 99), sorted.get(sorted.size() - 1));
  }

  /**
   * Per row version a gold table committed for a change made while measuring: its Delta commit
   * time minus the source commit time it carries ({@code source_ts}, Debezium's).
   */
  private static List<Long> commitToGold(SparkSession spark, Tables tables, TableId table, long fromMs, long toMs) {
    List<Long> millis = new ArrayList<>();
    for (Row r : spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", 0)
        .load(tables.path(table))
        .filter(col("_change_type").isin("insert", "update_postimage"))
        .filter(col("source_ts").between(lit(new Timestamp(fromMs)), lit(new Timestamp(toMs))))
        .select(unix_millis(col("_commit_timestamp")).minus(unix_millis(col("source_ts"))))
        .collectAsList()) {
      millis.add(r.getLong(0));
    }
    return millis;
  }

  /**
   * As {@link #commitToGold} for a table without a change feed: each table version's rows
   * stamped after the version before it ({@code updated_at}, the batch's time) are the ones it
   * wrote, visible at its commit.
   */
  private static List<Long> commitToGoldByVersion(SparkSession spark, Tables tables, TableId table, long fromMs,
      long toMs) {
    String path = tables.path(table);
    List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + path.replace("`", "``") + "`")
        .select(col("version"), unix_millis(col("timestamp"))).orderBy("version").collectAsList();
    List<Long> millis = new ArrayList<>();
    for (int i = 1; i < history.size(); i++) {
      long committed = history.get(i).getLong(1);
      if (committed < fromMs) continue;
      long previous = history.get(i - 1).getLong(1);
      for (Row r : spark.read().format("delta").option("versionAsOf", history.get(i).getLong(0)).load(path)
          .filter(col("updated_at").gt(lit(new Timestamp(previous))))
          .filter(col("source_ts").between(lit(new Timestamp(fromMs)), lit(new Timestamp(toMs))))
          .select(unix_millis(col("source_ts"))).collectAsList()) {
        millis.add(committed - r.getLong(0));
      }
    }
    return millis;
  }

  private double awaitFirstServed(JobRunner runner, long started) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!RunningPipeline.snapshotServed(runner)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("no snapshot served in 10 minutes");
      Thread.sleep(250);
      runner.failIfGaveUp();
    }
    return seconds(System.nanoTime() - started);
  }

  /** A simulator pacing events, until its stdin closes or {@code length} passes; each run its own seed. */
  private Process startSimulator(DevstackProcess devstack, int rate, Duration length, int run) throws IOException {
    Path log = devstack.stateDir().resolve("simulator-" + run + ".log");
    Process simulator = DevstackProcess.spawn(log, "simulate", "--state-dir", devstack.stateDir().toString(),
        "--duration", length.toSeconds() + "s", "--rate", Integer.toString(rate), "--pace", "events",
        "--seed", Long.toString(42 + run), "--until-stdin-closes");
    simulatorPids.add(simulator.pid());
    return simulator;
  }

  private static void stop(Process simulator) throws InterruptedException {
    if (!simulator.isAlive()) return;
    try {
      simulator.getOutputStream().close();
    } catch (IOException e) {
      simulator.destroy();
    }
    if (!simulator.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) simulator.destroyForcibly().waitFor();
  }

  private List<ProcessMeter.Group> processGroups(Path stateDir) {
    List<ProcessMeter.Group> groups = new ArrayList<>();
    groups.add(new ProcessMeter.Group("pipeline", ProcessMeter.is(ProcessHandle.current().pid())));
    groups.add(new ProcessMeter.Group("simulator", p -> simulatorPids.contains(p.pid())));
    for (String[] service : new String[][] {{"devstack", "devstack.pid"}, {"kafka", "kafka.pid"},
        {"postgres", "postgres.pid"}, {"redis", "redis.pid"}}) {
      Path pidFile = stateDir.resolve(service[1]);
      if (Files.exists(pidFile)) groups.add(new ProcessMeter.Group(service[0], ProcessMeter.pidIn(pidFile)));
    }
    return groups;
  }

  private static double cpu(Sample s, String group) {
    ProcessMeter.Reading r = s.processes().get(group);
    return r == null ? 0 : r.cpuSeconds();
  }

  private static double rate(Sample from, Sample to, String kind, double wall) {
    return (to.events().get(kind) - from.events().get(kind)) / wall;
  }

  private static double perSecond(Sample from, Sample to) {
    return (to.totalEvents() - from.totalEvents()) / seconds(to.eventsNanos() - from.eventsNanos());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
