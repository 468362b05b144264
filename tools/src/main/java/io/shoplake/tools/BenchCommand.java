package io.shoplake.tools;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.bench.ApplyBenchmark;
import io.shoplake.bench.BacklogBenchmark;
import io.shoplake.bench.FreshnessBenchmark;
import io.shoplake.bench.GoldHopBenchmark;
import io.shoplake.bench.PipelineBenchmark;
import java.time.Duration;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmarks that print figures (never run by the tests).",
        "  apply  silver apply throughput: changes/s into silver.inventory at each --rows size, in a",
        "         fresh warehouse per size (under --dir, default a temp dir), with the ratio between sizes.",
        "  freshness  commit-to-visible latency of stock changes committed to PostgreSQL at --rate for",
        "         --duration on a devstack of its own: p50/p95/p99 of the real-time hot path (until Redis",
        "         shows the change) and of the lakehouse path (until gold.inventory_availability holds it).",
        "  pipeline  the whole pipeline as `run pipeline --continuous` runs it, on a devstack of its own, while",
        "         the simulator sends --rate events/s (changes, outbox events, clicks): a row per minute of",
        "         events in, ingest lag, CPU and memory; then commit-to-visible p50/p95/p99 of gold and Redis.",
        "         --find-capacity steps the rate up by 1.5x per --step until the lag grows for two minutes.",
        "         --backlog N instead: the simulator sends N events while nothing runs, then one available-now",
        "         pass of every job; prints records/s end to end, each job's share, and bronze's rows/s against a",
        "         plain Kafka -> Delta append of the same topics.",
        "  gold   the lakehouse path's gold hop alone (no Kafka, no devstack): seconds per batch of",
        "         --changes inventory updates applied to gold availability holding --keys rows."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BENCHMARK", description = "apply | freshness | gold | pipeline")
  String benchmark;

  @Option(names = "--rows", split = ",", defaultValue = "1000000,5000000",
      description = "Table sizes to measure at (default: ${DEFAULT-VALUE}).")
  List<Long> rows;

  // Throughput matters when silver catches up on a backlog; its batches are then as large as the
  // Delta source's file cap lets them be, far above the few hundred rows of a quiet shop.
  @Option(names = "--batch", defaultValue = "1000000",
      description = "Changes per batch, as when catching up on a backlog (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--batches", description = "Measured batches (per size for apply; default: apply 5, gold 15).")
  Integer batches;

  // What a gold batch held in `bench freshness` on the devstack (60 products x 3 locations, 20
  // changes/s, batches about 10 s apart).
  @Option(names = "--keys", defaultValue = "180", description = "gold: product x location rows (default: ${DEFAULT-VALUE}).")
  long keys;

  @Option(names = "--changes", defaultValue = "200", description = "gold: changes per batch (default: ${DEFAULT-VALUE}).")
  int changes;

  @Option(names = "--rate", description = "freshness: stock changes per second (default 20); pipeline: events per"
      + " second, or the first step's with --find-capacity (default 200).")
  Integer rate;

  @Option(names = "--duration", description = "freshness, pipeline: measured time (default: freshness 60s, pipeline 5m).")
  String duration;

  @Option(names = "--find-capacity", description = "pipeline: step the rate up until ingest falls behind.")
  boolean findCapacity;

  @Option(names = "--backlog", description = "pipeline: events sent while nothing runs, then caught up in one"
      + " available-now pass.")
  Long backlog;

  @Option(names = "--step", defaultValue = "3m", description = "pipeline: how long each --find-capacity rate is held"
      + " (at least 3m; default: ${DEFAULT-VALUE}).")
  String step;

  // A pipeline runs for days; its first minutes are the JIT compiling Spark's and Delta's code
  // (in a 20 s warm-up the compiler threads still took 0.4 of a core and the lakehouse path ran
  // about twice as slow). Five minutes measures the path as it runs, not as it starts.
  @Option(names = "--warmup", defaultValue = "5m", description = "freshness, pipeline: unmeasured load first (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--home", description = "freshness, pipeline: where their devstacks live (default: ~/.shoplake).")
  Path home = Path.of(System.getProperty("user.home"), ".shoplake");

  @Option(names = "--dir", description = "Where the benchmark warehouses go (default: a new temp dir).")
  Path dir;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (benchmark.equals("freshness")) {
      return new FreshnessBenchmark(new FreshnessBenchmark.Options(configOptions.env(), configOptions.overrides(), home,
          rate != null ? rate : 20, duration(warmup), duration(duration != null ? duration : "60s")), System.out).run();
    }
    if (benchmark.equals("pipeline") && backlog != null) {
      if (backlog <= 0 || findCapacity) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--backlog takes a positive count and goes alone");
      }
      return new BacklogBenchmark(new BacklogBenchmark.Options(configOptions.env(), configOptions.overrides(), home,
          backlog), System.out).run();
    }
    if (benchmark.equals("pipeline")) {
      return new PipelineBenchmark(new PipelineBenchmark.Options(configOptions.env(), configOptions.overrides(), home,
          rate != null ? rate : 200, duration(warmup), duration(duration != null ? duration : "5m"), findCapacity,
          duration(step)), System.out).run();
    }
    if (benchmark.equals("gold")) return gold();
    if (!benchmark.equals("apply")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Unknown benchmark '" + benchmark + "'; known: apply, freshness, gold, pipeline");
    }
    int batches = this.batches != null ? this.batches : 5;
    Path root = dir != null ? dir : Files.createTempDirectory("shoplake-bench");
    List<ApplyBenchmark.Result> results = new ArrayList<>();
    SparkSession spark = null;
    for (long size : rows) {
      ShoplakeConfig config = configOptions.load()
          .with("shoplake.storage.warehouse", root.resolve("rows-" + size).toUri().toString());
      if (spark == null) spark = SparkSessionFactory.create(config);
      System.out.printf("%n== apply into a table of %,d rows: %d batches of %,d changes ==%n", size, batches, batch);
      results.add(ApplyBenchmark.run(spark, config, size, batch, batches, System.out));
    }
    System.out.printf("%n%-14s %14s %16s %16s%n", "table rows", "changes", "changes/s", "median batch/s");
    for (ApplyBenchmark.Result r : results) {
      System.out.printf("%,-14d %,14d %,16.0f %,16.0f%n", r.tableRows(), r.changes(), r.changesPerSecond(),
          ApplyBenchmark.median(r.perBatch()));
    }
    if (results.size() > 1) {
      ApplyBenchmark.Result small = results.get(0);
      ApplyBenchmark.Result large = results.get(results.size() - 1);
      System.out.printf("slowdown %,d -> %,d rows: %.2fx (%d cores, %s)%n", small.tableRows(), large.tableRows(),
          small.changesPerSecond() / large.changesPerSecond(), Runtime.getRuntime().availableProcessors(),
          spark.conf().get("spark.master"));
    }
    System.out.println("warehouses: " + root);
    return 0;
  }

  private int gold() throws Exception {
    Path root = dir != null ? dir : Files.createTempDirectory("shoplake-bench");
    ShoplakeConfig config = configOptions.load().with("shoplake.storage.warehouse", root.resolve("gold").toUri().toString());
    SparkSession spark = SparkSessionFactory.create(config);
    List<Double> seconds = GoldHopBenchmark.run(spark, config, keys, changes, batches != null ? batches : 15, System.out);
    System.out.printf("%ngold hop, %,d changes into %,d rows: p50 %.2f s, p95 %.2f s, max %.2f s over %d batches"
            + " (%d cores, %s)%n", changes, keys, GoldHopBenchmark.percentile(seconds, 50),
        GoldHopBenchmark.percentile(seconds, 95), GoldHopBenchmark.percentile(seconds, 100), seconds.size(),
        Runtime.getRuntime().availableProcessors(), spark.conf().get("spark.master"));
    System.out.println("warehouse: " + root);
    return 0;
  }

  private static Duration duration(String text) {
    return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
  }
}
