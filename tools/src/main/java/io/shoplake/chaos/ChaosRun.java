package io.shoplake.chaos;

import io.shoplake.chaos.ChaosPlan.Fault;
import io.shoplake.cli.DataChecks;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.devstack.Outage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the whole continuous pipeline ({@code run pipeline --continuous}, in a JVM of its own) on
 * a devstack of its own while the simulator keeps the shop busy, and strikes as a {@link
 * ChaosPlan} says: SIGKILLs of the pipeline JVM (half of them right after a Delta commit) and
 * outages of each devstack service ({@link Strikes}), with bad records among the shop's
 * ({@link PlantedBadRecords}). Then the shop stops, the pipeline settles, and every layer is
 * compared with its truth ({@link DataChecks}, {@link SnapshotOnce}, the planted records).
 */
public final class ChaosRun {
  public record Options(String env, Map<String, String> overrides, Path home, Duration duration, int kills,
      List<Outage> outages, Duration outageLength, long seed, int rate, Duration settleCap) {}

  /** What a run did and found. */
  public record Report(ChaosPlan plan, int killsDone, int killsAfterCommit, int killsMidBatch,
      Map<Outage, Integer> outagesDone, long badRecordsSent, List<String> failures, List<DataChecks.Line> checks, Duration wall,
      Map<String, Duration> recoveries, List<String> neverRecovered) {
    public boolean passed() {
      return failures.isEmpty() && neverRecovered.isEmpty() && !checks.isEmpty()
          && checks.stream().noneMatch(l -> l.status() == DataChecks.Status.DIFF)
          && killsDone == plan.count(Fault.Kind.KILL) + plan.count(Fault.Kind.KILL_AFTER_COMMIT)
          && outagesDone.values().stream().mapToInt(Integer::intValue).sum() == plan.count(Fault.Kind.OUTAGE);
    }

    /** The longest time any fault took until its layer moved again. */
    public Optional<Map.Entry<String, Duration>> longestRecovery() {
      return recoveries.entrySet().stream().max(Map.Entry.comparingByValue());
    }
  }

  /** How long after the simulator's end the pipeline gets, per look, before the checks run again. */
  private static final Duration LOOK_EVERY = Duration.ofSeconds(15);

  private final Options options;
  private final PrintStream out;

  public ChaosRun(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Report run() throws Exception {
    long started = System.nanoTime();
    ChaosPlan plan = ChaosPlan.draw(options.seed(), options.duration(), options.kills(), options.outages(),
        options.outageLength());
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runDir = options.home().resolve("chaos").resolve(stamp);
    Files.createDirectories(runDir);
    Path devstackDir = options.home().resolve("chaos-devstack");
    out.printf("Chaos run in %s: %d kills, outages %s over %s (seed %d)%n", runDir, options.kills(),
        options.outages().stream().map(Outage::id).toList(), options.duration(), options.seed());
    try (DevstackProcess devstack = DevstackProcess.startAfresh(devstackDir, runDir.resolve("devstack-down.log"),
        Duration.ofMinutes(4))) {
      // Each run a new warehouse: the devstack's Kafka and database are new too.
      boolean onS3 = options.env().equals("s3");
      ShoplakeConfig base = ShoplakeConfig.load(options.env(), options.overrides(), devstack.endpointsFile());
      String warehouse = onS3 ? "s3a://" + base.string("shoplake.s3.bucket") + "/chaos/" + stamp + "/warehouse"
          : runDir.resolve("warehouse").toUri().toString();
      Path warehouseOnDisk = onS3
          ? devstackDir.resolve("s3").resolve(base.string("shoplake.s3.bucket")).resolve("chaos/" + stamp + "/warehouse")
          : runDir.resolve("warehouse");
      Map<String, String> childSettings = new LinkedHashMap<>(options.overrides());
      childSettings.put("shoplake.devstack.state-dir", devstackDir.toString());
      childSettings.put("shoplake.storage.warehouse", warehouse);
      // A killed JVM's port may linger; any free one does.
      childSettings.put("shoplake.metrics.port", "0");
      ShoplakeConfig config = base.with("shoplake.storage.warehouse", warehouse);
      Tables tables = Tables.from(config);
      KafkaConnection kafka = KafkaSettings.from(config).connection();
      List<String> cdcTopics = tables.topics().cdcTables().stream().map(t -> tables.topics().cdc(t)).toList();

      PipelineProcess pipeline = new PipelineProcess(options.env(), childSettings, runDir.resolve("pipeline.log"));
      SimulatorProcess simulator = new SimulatorProcess(devstack.stateDir(), runDir.resolve("simulator.log"),
          options.rate(), options.seed());
      Strikes strikes = new Strikes(devstack, pipeline, simulator, new CommitWatch(warehouseOnDisk),
          options.outageLength(), out);
      List<String> plantedTopics = List.of(tables.topics().cdc("inventory"), tables.topics().clickstream(),
          tables.topics().orderEvents(), tables.topics().cdc("customers"));
      try (Progress progress = new Progress(kafka, new java.util.HashSet<>(cdcTopics), RedisSettings.from(config));
          PlantedBadRecords badRecords = new PlantedBadRecords(kafka, plantedTopics)) {
        pipeline.start();
        long chaosStart = System.nanoTime();
        simulator.startFor(options.duration());
        strikes.carryOut(plan, chaosStart, options.duration());
        simulator.stop();
        badRecords.close();
        List<String> failures = new ArrayList<>(strikes.failures());
        failures.addAll(simulator.failures());
        out.printf("Faults over after %ds; the shop stops and the pipeline settles.%n",
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - chaosStart));
        List<DataChecks.Line> checks = settleAndCheck(config, tables, kafka, cdcTopics, plantedTopics, pipeline, failures);
        pipeline.stop();
        List<String> neverRecovered = new ArrayList<>();
        Map<String, Duration> recoveries = strikes.recoveries(progress, neverRecovered);
        return new Report(plan, strikes.kills(), strikes.killsAfterCommit(), strikes.killsMidBatch(),
            strikes.outagesDone(), badRecords.sent(), List.copyOf(failures), checks,
            Duration.ofNanos(System.nanoTime() - started), recoveries, neverRecovered);
      } finally {
        pipeline.stop();
        simulator.stop();
      }
    }
  }

  /**
   * Waits until ingest has read everything, then runs every check; runs them again, a little
   * later, while any differs and the pipeline still has {@code settleCap} left. The last run's
   * lines are the verdict.
   */
  private List<DataChecks.Line> settleAndCheck(ShoplakeConfig config, Tables tables, KafkaConnection kafka,
      List<String> cdcTopics, List<String> plantedTopics, PipelineProcess pipeline, List<String> failures)
      throws Exception {
    long deadline = System.nanoTime() + options.settleCap().toNanos();
    SparkSession spark = SparkSessionFactory.create(config);
    while (!Progress.caughtUp(kafka, tables.topics().sources()) && System.nanoTime() < deadline) {
      pipeline.failIfExited(failures);
      Thread.sleep(LOOK_EVERY.toMillis());
    }
    List<DataChecks.Line> lines;
    while (true) {
      Thread.sleep(LOOK_EVERY.toMillis());
      lines = new ArrayList<>();
      lines.addAll(DataChecks.reconcile(spark, tables, config));
      lines.addAll(DataChecks.serving(spark, tables, config));
      lines.addAll(SnapshotOnce.check(spark, tables, cdcTopics));
      lines.add(PlantedBadRecords.check(spark, tables, kafka, plantedTopics));
      long differing = lines.stream().filter(l -> l.status() == DataChecks.Status.DIFF).count();
      if (differing == 0 || System.nanoTime() > deadline || !pipeline.alive()) break;
      out.printf("  %d checks still differ; the pipeline gets another %ds%n", differing, LOOK_EVERY.toSeconds());
    }
    pipeline.failIfExited(failures);
    return lines;
  }
}
