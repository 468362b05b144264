package io.shoplake.demo;

import io.shoplake.RunObservers;
import io.shoplake.Pipeline;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.Percentiles;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.ingest.KafkaLag;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.serving.AvailabilityServingJob;
import io.shoplake.serving.FreshnessRecorder;
import io.shoplake.core.RedisSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The demo: devstack up, the whole pipeline running continuously while the simulator runs,
 * progress on the way, then PostgreSQL, gold and Redis side by side.
 */
public final class Demo {
  public record Options(String env, Map<String, String> overrides, Duration duration, long seed, int rate,
                        Path home, Duration settleQuiet, Duration settleCap) {}

  private static final String BACKGROUND_BATCHES = "shoplake.trigger.background-batches";
  /** More than the pipeline has jobs: no batch waits for a turn. */
  private static final int ALL_AT_ONCE = 64;

  /**
   * A production run makes the jobs off the availability path take turns; on two cores a round
   * of their first, cold batches outlasts the demo's two minutes, and it would end with most
   * silver and gold tables still empty. The demo shows every table filled, unless told otherwise.
   */
  static ShoplakeConfig everyJobAtOnce(ShoplakeConfig config, Map<String, String> overrides) {
    return overrides.containsKey(BACKGROUND_BATCHES) ? config : config.with(BACKGROUND_BATCHES, String.valueOf(ALL_AT_ONCE));
  }

  /** Stock rows only the demo changes, {@link ServedProbes}, and how often: the hot path's latency. */
  private static final int PROBE_ROWS = 20;
  private static final double PROBES_PER_SECOND = 2;

  private final Options options;
  private final PrintStream out;

  public Demo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** @return 0 when every layer agrees with PostgreSQL at the end, 1 otherwise */
  public int run() throws Exception {
    long started = System.nanoTime();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runDir = options.home().resolve("runs").resolve(stamp);
    Files.createDirectories(runDir);
    Path devstackDir = options.home().resolve("demo-devstack");
    out.println("Starting the devstack (Kafka, PostgreSQL + Debezium, Redis, S3 endpoint)...");
    try (DevstackProcess devstack = DevstackProcess.startAfresh(devstackDir, runDir.resolve("devstack-down.log"),
        Duration.ofMinutes(4))) {
      ShoplakeConfig config = ShoplakeConfig.load(options.env(), options.overrides(), devstack.endpointsFile())
          .with("shoplake.trigger.mode", "processing-time");
      config = everyJobAtOnce(config, options.overrides());
      // Each run gets a new warehouse: the devstack's Kafka and database are new too.
      config = config.with("shoplake.storage.warehouse", options.env().equals("s3")
          ? "s3a://" + config.string("shoplake.s3.bucket") + "/runs/" + stamp + "/warehouse"
          : runDir.resolve("warehouse").toUri().toString());
      SparkSession spark = SparkSessionFactory.create(config);
      IngestMetrics ingest = new IngestMetrics(BronzeIngestJob.NAME);
      spark.streams().addListener(ingest);
      JobContext context = JobContext.create(spark, config);
      Tables tables = context.tables();
      TableBootstrap.ensure(spark, tables, Pipeline.tables(config));

      PostgresSettings pg = PostgresSettings.from(config);
      RedisSettings redis = RedisSettings.from(config);
      try (Connection setup = pg.connect()) {
        ServedProbes.createRows(setup, PROBE_ROWS);
      }

      try (JobRunner runner = new JobRunner(context, RunObservers.of(context));
          KafkaLag lag = KafkaLag.connect(KafkaSettings.from(config).connection())) {
        out.printf("Pipeline starting (warehouse %s); loading the database snapshot...%n", tables.warehouse());
        runner.startLatencyPathFirst(Pipeline.jobs(config));
        awaitSnapshotServed(runner, ingest, lag, started);
        // Freshness counts from here: the figures describe a warmed-up pipeline, not JVM start-up.
        FreshnessRecorder.reset();
        out.printf("Snapshot served. Simulating the shop for %s...%n", options.duration());
        List<Long> hotPath;
        int simulatorExit;
        try (Connection probeDb = pg.connect();
            ServedProbes probes = ServedProbes.start(probeDb, redis, PROBES_PER_SECOND)) {
          Process simulator = DevstackProcess.spawn(runDir.resolve("simulator.log"), "simulate",
              "--state-dir", devstack.stateDir().toString(), "--duration", options.duration().toSeconds() + "s",
              "--seed", Long.toString(options.seed()), "--rate", Integer.toString(options.rate()));
          while (simulator.isAlive()) {
            Thread.sleep(5_000);
            progress(ingest, lag, started);
            runner.failIfGaveUp();
          }
          simulatorExit = simulator.exitValue();
          hotPath = probes.drain();
        }
        if (simulatorExit != 0) {
          throw new IllegalStateException("simulator failed; see " + runDir.resolve("simulator.log"));
        }
        out.println(Files.readAllLines(runDir.resolve("simulator.log")).stream()
            .filter(l -> l.startsWith("SIMULATOR DONE")).findFirst().orElse("simulator finished"));

        Settling settling = new Settling(options.settleQuiet(), options.settleCap(), System::nanoTime);
        int mismatches;
        Settling.Verdict verdict;
        do {
          Thread.sleep(5_000);
          runner.failIfGaveUp();
          long unread = progress(ingest, lag, started);
          mismatches = mismatches(pg, spark, tables, redis);
          verdict = settling.after(new Settling.Look(ingest.totalRows(), unread, mismatches));
        } while (verdict == Settling.Verdict.WAITING);
        if (verdict == Settling.Verdict.QUIET) {
          out.printf("Gave up waiting: nothing moved for %s and %d rows still differ.%n", options.settleQuiet(), mismatches);
        } else if (verdict == Settling.Verdict.CAPPED) {
          out.printf("Gave up waiting after %s: the pipeline still moved, but %d rows still differ.%n",
              options.settleCap(), mismatches);
        }
        runner.close();
        summary(config, spark, tables, pg, redis, ingest, started, mismatches, hotPath);
        return mismatches == 0 ? 0 : 1;
      }
    }
  }

  /** Waits until the initial snapshot has reached Redis: every query has then run warm batches. */
  private void awaitSnapshotServed(JobRunner runner, IngestMetrics ingest, KafkaLag lag, long started)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!RunningPipeline.snapshotServed(runner)) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("the snapshot did not reach Redis in 5 minutes");
      Thread.sleep(2_000);
      runner.failIfGaveUp();
    }
    progress(ingest, lag, started);
  }

  /** Prints one progress line; returns the Kafka records ingest has not read (-1: unknown). */
  private long progress(IngestMetrics metrics, KafkaLag lag, long started) throws InterruptedException {
    long unread = lag.now(metrics.readTo());
    out.printf("  %4ds  ingested %7d  silver.inventory changes %6d  gold changes %6d  published %6d  kafka lag %5s"
            + "  freshness p50 %s%n",
        (System.nanoTime() - started) / 1_000_000_000L, metrics.rows(), metrics.rows("silver.inventory"),
        metrics.rows(InventoryAvailabilityJob.NAME), metrics.rows(AvailabilityServingJob.NAME),
        unread < 0 ? "?" : Long.toString(unread), millis(FreshnessRecorder.percentile(50)));
    return unread;
  }

  private static int mismatches(PostgresSettings pg, SparkSession spark, Tables tables, RedisSettings redis)
      throws Exception {
    Map<String, Integer> truth = AvailabilityComparison.postgres(pg);
    return AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables)).size()
        + AvailabilityComparison.differences(truth, AvailabilityComparison.redis(redis)).size();
  }

  private void summary(ShoplakeConfig config, SparkSession spark, Tables tables, PostgresSettings pg, RedisSettings redis,
      IngestMetrics ingest, long started, int mismatches, List<Long> hotPath) throws Exception {
    out.println();
    out.println("== Rows per table ==");
    for (TableDefinition def : Pipeline.tables(config)) {
      out.printf("  %-34s %8d%n", def.id(), count(spark, tables, def.id()));
    }

    Map<String, Integer> truth = AvailabilityComparison.postgres(pg);
    Map<String, Integer> gold = AvailabilityComparison.gold(spark, tables);
    Map<String, Integer> inRedis = AvailabilityComparison.redis(redis);
    out.println();
    out.println("== Available to promise: PostgreSQL | gold | Redis (sample) ==");
    List<String> keys = new ArrayList<>(truth.keySet());
    for (int i = 0; i < keys.size(); i += Math.max(1, keys.size() / 10)) {
      String k = keys.get(i);
      out.printf("  %-18s %6d | %6s | %6s%n", k, truth.get(k), gold.get(k), inRedis.get(k));
    }
    Set<String> goldDiff = AvailabilityComparison.differences(truth, gold);
    Set<String> redisDiff = AvailabilityComparison.differences(truth, inRedis);
    out.printf("  mismatches: gold %d, Redis %d (of %d product×location rows)%s%n", goldDiff.size(),
        redisDiff.size(), truth.size(), mismatches == 0 ? "" : "  e.g. " + first(goldDiff, redisDiff));
    out.println();
    out.println("== Figures ==");
    out.printf("  wall time                         %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    out.printf("  bronze ingest                     %.0f rows/s (%d rows, while busy)%n", ingest.rowsPerSecond(),
        ingest.rows());
    List<Long> hot = new ArrayList<>(hotPath);
    Collections.sort(hot);
    out.printf("  commit -> Redis, hot path         p50 %s  p95 %s  (%d probe changes)%n",
        millis(hot.isEmpty() ? -1 : Percentiles.nearestRank(hot, 50)),
        millis(hot.isEmpty() ? -1 : Percentiles.nearestRank(hot, 95)), hot.size());
    out.printf("  commit -> Redis, lakehouse        p50 %s  p95 %s  (%d changes)%n",
        millis(FreshnessRecorder.percentile(50)), millis(FreshnessRecorder.percentile(95)), FreshnessRecorder.count());
    out.printf("  warehouse                         %s%n", tables.warehouse());
  }

  private static String first(Set<String> a, Set<String> b) {
    return !a.isEmpty() ? a.iterator().next() : b.isEmpty() ? "" : b.iterator().next();
  }

  private static String millis(long ms) {
    return ms < 0 ? "n/a" : ms + " ms";
  }

  private static long count(SparkSession spark, Tables tables, TableId id) {
    return spark.read().format("delta").load(tables.path(id)).count();
  }
}
