package io.shoplake.bench;

import io.shoplake.RunObservers;
import io.shoplake.Pipeline;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Topics;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.devstack.process.Files2;
import io.shoplake.ingest.BronzeIngestJob;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/**
 * A backlog caught up in one scheduled pass: the simulator sends {@code events} while nothing
 * runs, then every job runs available-now, as `run pipeline` does from Airflow after an outage.
 * Before the pass, a plain Kafka to Delta append of the same topics (no decode, no MERGE) reads
 * the backlog once: the ceiling bronze's own rows/s is compared with.
 */
public final class BacklogBenchmark {
  public record Options(String env, Map<String, String> overrides, Path home, long events) {}

  /** Debezium has published everything once the topics stop growing for this long. */
  private static final Duration QUIET = Duration.ofSeconds(15);

  private final Options options;
  private final PrintStream out;

  public BacklogBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public int run() throws Exception {
    Path devstackDir = options.home().resolve("bench-backlog-devstack");
    out.println("Starting the devstack (Kafka, PostgreSQL + Debezium, Redis)...");
    try (DevstackProcess devstack = DevstackProcess.startAfresh(devstackDir,
        options.home().resolve("bench-backlog-devstack-down.log"), Duration.ofMinutes(4))) {
      // The topics are new with the devstack: so must be the tables and checkpoints reading them.
      Path runDir = devstackDir.resolve("run");
      Files2.deleteRecursively(runDir);
      ShoplakeConfig config = ShoplakeConfig.load(options.env(), options.overrides(), devstack.endpointsFile())
          .with("shoplake.trigger.mode", "available-now")
          .with("shoplake.storage.warehouse", runDir.resolve("warehouse").toUri().toString());
      KafkaSettings kafka = KafkaSettings.from(config);
      Topics topics = Topics.from(config);
      long backlog;
      try (TopicCounts counts = new TopicCounts(kafka.connection(), TopicCounts.sourcesByKind(topics))) {
        sendBacklog(devstack, counts);
        backlog = total(counts.now());
      }

      SparkSession spark = SparkSessionFactory.create(config);
      QueryCosts costs = new QueryCosts();
      spark.streams().addListener(costs);
      // Once on the fresh JVM and once after the pass, on a warm one: the faster is the ceiling.
      QueryCosts.Cost coldCeiling = plainAppend(spark, costs, kafka, topics, runDir.resolve("ceiling-1"), 1);

      JobContext context = JobContext.create(spark, config);
      TableBootstrap.ensure(spark, context.tables(), Pipeline.tables(config));
      costs.reset();
      long passStart = System.nanoTime();
      try (JobRunner runner = new JobRunner(context, RunObservers.of(context))) {
        runner.runToCompletion(Pipeline.jobs(config));
      }
      double pass = (System.nanoTime() - passStart) / 1e9;
      awaitListeners();
      List<QueryCosts.Cost> jobs = costs.costs();
      QueryCosts.Cost warmCeiling = plainAppend(spark, costs, kafka, topics, runDir.resolve("ceiling-2"), 2);

      out.printf("%n== one available-now pass of every job over %,d records: %.1f s, %,.0f records/s end to end ==%n",
          backlog, pass, backlog / pass);
      QueryCosts.Cost bronze = jobs.stream().filter(c -> c.query().equals(BronzeIngestJob.NAME)).findFirst()
          .orElseThrow(() -> new IllegalStateException(BronzeIngestJob.NAME + " reported no batch"));
      double bronzeRate = perSecond(bronze);
      double ceiling = Math.max(perSecond(coldCeiling), perSecond(warmCeiling));
      out.printf("plain append of the same topics (Kafka -> one Delta table, no decode, no MERGE), query start to"
              + " end: %,.0f records/s before the pass, %,.0f after%n", perSecond(coldCeiling),
          perSecond(warmCeiling));
      out.printf("%s, query start to end: %,d records in %.1f s = %,.0f records/s; bronze / ceiling = %.2f%n",
          bronze.query(), bronze.rows(), bronze.wallMillis() / 1000.0, bronzeRate, bronzeRate / ceiling);
      printJobs(jobs, pass);
    }
    return 0;
  }

  /** Runs the simulator flat out until it has sent the backlog, then waits for Debezium to publish it. */
  private void sendBacklog(DevstackProcess devstack, TopicCounts counts) throws Exception {
    Map<String, Long> before = counts.now();
    out.printf("Sending a backlog of %,d events (seed snapshot already in Kafka: %,d records)...%n", options.events(),
        total(before));
    long start = System.nanoTime();
    Path log = devstack.stateDir().resolve("simulator-backlog.log");
    // The rate only has to exceed what one connection can write: the simulator then runs flat out.
    Process simulator = DevstackProcess.spawn(log, "simulate", "--state-dir", devstack.stateDir().toString(),
        "--pace", "events", "--rate", "1000000", "--max-events", Long.toString(options.events()),
        "--duration", "24h", "--seed", "42");
    if (!simulator.waitFor(6, TimeUnit.HOURS) || simulator.exitValue() != 0) {
      simulator.destroyForcibly();
      throw new IllegalStateException("the simulator failed; see " + log);
    }
    double simulated = (System.nanoTime() - start) / 1e9;
    Map<String, Long> after = awaitQuiet(counts);
    double published = (System.nanoTime() - start) / 1e9;
    out.printf("simulator: %,.0f s for %,d events (%,.0f events/s); in Kafka %.0f s after the start: changes %,d,"
            + " outbox %,d, clicks %,d (this run)%n", simulated, options.events(), options.events() / simulated,
        published, after.get("changes") - before.get("changes"), after.get("outbox") - before.get("outbox"),
        after.get("clicks") - before.get("clicks"));
  }

  private static Map<String, Long> awaitQuiet(TopicCounts counts) throws InterruptedException {
    Map<String, Long> last = counts.now();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < QUIET.toNanos()) {
      Thread.sleep(1_000);
      Map<String, Long> now = counts.now();
      if (!now.equals(last)) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
    return last;
  }

  /** The same topics as bronze, the same batch cap, appended as Kafka gives them: its cost, as the listener saw it. */
  private static QueryCosts.Cost plainAppend(SparkSession spark, QueryCosts costs, KafkaSettings kafka, Topics topics,
      Path dir, int run) throws Exception {
    String name = "ceiling.plain_append_" + run;
    spark.readStream().format("kafka")
        .options(kafka.connection().sparkOptions())
        .option("subscribe", String.join(",", topics.sources()))
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", kafka.maxOffsetsPerTrigger())
        .load()
        .writeStream().format("delta")
        .queryName(name)
        .option("checkpointLocation", dir.resolve("_checkpoint").toString())
        .trigger(Trigger.AvailableNow())
        .start(dir.resolve("table").toString())
        .awaitTermination();
    awaitListeners();
    return costs.costs().stream().filter(c -> c.query().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " reported no batch"));
  }

  private static double perSecond(QueryCosts.Cost query) {
    if (query.wallMillis() <= 0) throw new IllegalStateException(query.query() + ": its end was not heard");
    return query.rows() / (query.wallMillis() / 1000.0);
  }

  /** Listeners hear of queries' ends asynchronously, a moment after they end. */
  private static void awaitListeners() throws InterruptedException {
    Thread.sleep(2_000);
  }

  private void printJobs(List<QueryCosts.Cost> jobs, double pass) {
    long busy = jobs.stream().mapToLong(QueryCosts.Cost::busyMillis).sum();
    out.printf("%n%-32s %9s %8s %8s %10s %8s %7s%n", "job (by busy time)", "started s", "wall s", "batches", "rows in",
        "busy s", "share");
    for (QueryCosts.Cost c : jobs) {
      out.printf("%-32s %9s %8s %8d %,10d %8.1f %6.1f%%%n", c.query(),
          c.startedMillis() < 0 ? "-" : String.format("%.1f", c.startedMillis() / 1000.0),
          c.wallMillis() < 0 ? "-" : String.format("%.1f", c.wallMillis() / 1000.0), c.batches(), c.rows(),
          c.busyMillis() / 1000.0, 100.0 * c.busyMillis() / Math.max(1, busy));
    }
    out.printf("(busy: the sum of a job's batch durations; %.1f s of batches in a %.1f s pass: jobs ran side by"
        + " side)%n", busy / 1000.0, pass);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
