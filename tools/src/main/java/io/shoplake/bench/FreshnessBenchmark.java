package io.shoplake.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.min;

import io.shoplake.RunObservers;
import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.Percentiles;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.demo.RunningPipeline;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.serving.AvailabilityHash;
import io.shoplake.serving.AvailabilityServingJob;
import io.shoplake.serving.FreshnessRecorder;
import io.shoplake.serving.HotAvailabilityJob;
import io.shoplake.core.RedisSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.SparkSession;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;

/**
 * Commit-to-visible latency of stock changes, on the devstack, for both serving paths at once.
 * Commits changes to PostgreSQL at a steady rate, each raising one product×location's
 * available units to a new, higher value, and notes when each becomes visible:
 * <ul>
 *   <li>hot path: Redis shows the value (polled every millisecond; the real-time hot path
 *       writes first, the lakehouse's later write of the same version is refused as not newer);
 *   <li>lakehouse: the first {@code gold.inventory_availability} commit holding it (its Delta
 *       commit timestamp), measured from the PostgreSQL commit and from the Kafka record time;
 *   <li>CDC: the Kafka record time of the change (what Debezium adds before either path).
 * </ul>
 */
public final class FreshnessBenchmark {
  public record Options(String env, Map<String, String> overrides, Path home, int rate, Duration warmup,
      Duration duration) {}

  private record Key(long productId, String locationId) {}

  /** One committed change: the value Redis and gold must reach, and when PostgreSQL committed it. */
  public record Change(long productId, String locationId, int expected, long committedMs) {}

  private record Series(String path, String span, List<Long> millis, int expected) {}

  private static final Set<String> JOBS = Set.of(BronzeIngestJob.NAME, "silver.inventory",
      InventoryAvailabilityJob.NAME, AvailabilityServingJob.NAME, HotAvailabilityJob.NAME);

  private final Options options;
  private final PrintStream out;

  public FreshnessBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public int run() throws Exception {
    Path devstackDir = options.home().resolve("bench-devstack");
    out.println("Starting the devstack (Kafka, PostgreSQL + Debezium, Redis)...");
    try (DevstackProcess devstack = DevstackProcess.startAfresh(devstackDir,
        options.home().resolve("bench-devstack-down.log"), Duration.ofMinutes(4))) {
      ShoplakeConfig config = ShoplakeConfig.load(options.env(), options.overrides(), devstack.endpointsFile())
          .with("shoplake.trigger.mode", "processing-time")
          .with("shoplake.storage.warehouse", devstackDir.resolve("warehouse-" + System.currentTimeMillis()).toUri().toString());
      SparkSession spark = SparkSessionFactory.create(config);
      JobContext context = JobContext.create(spark, config);
      Tables tables = context.tables();
      TableBootstrap.ensure(spark, tables, Pipeline.tables(config));
      PostgresSettings pg = PostgresSettings.from(config);
      RedisSettings redis = RedisSettings.from(config);
      List<Job> jobs = Pipeline.jobs(config).stream().filter(j -> JOBS.contains(j.name())).toList();
      try (JobRunner runner = new JobRunner(context, RunObservers.of(context)); Connection db = pg.connect()) {
        runner.startAll(jobs);
        List<Key> keys = loadKeys(db);
        out.printf("Jobs %s started; waiting until both paths serve the snapshot...%n", JOBS);
        awaitServed(runner, redis, keys.size());

        out.printf("Warm-up: %d changes/s for %s (not measured)...%n", options.rate(), options.warmup());
        drive(db, redis, keys, options.warmup(), new ArrayList<>(), new ArrayList<>());
        FreshnessRecorder.reset();
        out.printf("Measuring: %d changes/s for %s...%n", options.rate(), options.duration());
        List<Change> changes = new ArrayList<>();
        List<Long> hot = new CopyOnWriteArrayList<>();
        JitLoad jit = JitLoad.start();
        drive(db, redis, keys, options.duration(), changes, hot);
        double jitShare = jit.compilerShare();
        List<Long> served = FreshnessRecorder.samples();
        awaitGold(spark, tables, changes, Duration.ofMinutes(3));
        printBatchDurations(runner);
        runner.close();

        LakehouseTimes lake = lakehouseTimes(spark, tables, changes);
        List<Series> table = List.of(
            new Series("hot (real-time mode)", "PostgreSQL commit -> Redis", hot, changes.size()),
            new Series("CDC (Debezium)", "PostgreSQL commit -> Kafka", lake.commitToKafka(), changes.size()),
            new Series("lakehouse", "Kafka -> gold Delta visible", lake.kafkaToGold(), changes.size()),
            new Series("lakehouse", "PostgreSQL commit -> gold Delta visible", lake.commitToGold(), changes.size()),
            new Series("lakehouse", "PostgreSQL commit -> serving.availability write", served, changes.size()));
        print(table);
        out.printf("JIT compiling while measuring: %.0f ms per second, the JVM's compiler threads' wall-clock time"
            + " (it falls as the JVM warms up; see --warmup)%n", jitShare * 1000);
        return 0;
      }
    }
  }

  private static List<Key> loadKeys(Connection db) throws SQLException {
    List<Key> keys = new ArrayList<>();
    try (Statement s = db.createStatement();
         ResultSet rs = s.executeQuery("SELECT product_id, location_id FROM inventory ORDER BY product_id, location_id")) {
      while (rs.next()) keys.add(new Key(rs.getLong(1), rs.getString(2)));
    }
    if (keys.isEmpty()) throw new IllegalStateException("the shop database has no inventory rows to change");
    return keys;
  }

  private void awaitServed(JobRunner runner, RedisSettings redis, int locations) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      runner.failIfGaveUp();
      if (RunningPipeline.snapshotServed(runner) && servedLocations(redis) >= locations) return;
      if (System.nanoTime() > deadline) throw new IllegalStateException("the snapshot was not served in 5 minutes");
      Thread.sleep(1_000);
    }
  }

  private static long servedLocations(RedisSettings redis) {
    try (Jedis jedis = redis.connect()) {
      long n = 0;
      for (String key : jedis.keys(redis.keyPrefix() + ":availability:*")) {
        n += jedis.hkeys(key).stream().filter(f -> AvailabilityHash.location(f).isPresent()).count();
      }
      return n;
    }
  }

  /**
   * Commits {@code rate} changes per second, round robin over the inventory rows, while a
   * second thread polls Redis for the pending ones. Each change raises available-to-promise
   * to a value the row never had, so "Redis shows at least that value" means it arrived.
   */
  private void drive(Connection db, RedisSettings redis, List<Key> keys, Duration length,
      List<Change> changes, List<Long> hotMillis) throws Exception {
    ConcurrentLinkedQueue<Change> pending = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> watchRedis(redis, pending, hotMillis, running), "freshness-redis-watcher");
    watcher.start();
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / options.rate();
    long start = System.nanoTime();
    long end = start + length.toNanos();
    int next = 0;
    try (PreparedStatement update = db.prepareStatement(
        "UPDATE inventory SET on_hand = GREATEST(on_hand, reserved) + 1, updated_at = now()"
            + " WHERE product_id = ? AND location_id = ? RETURNING on_hand - reserved")) {
      for (long due = start; due < end; due += intervalNanos) {
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        Key key = keys.get(next++ % keys.size());
        update.setLong(1, key.productId());
        update.setString(2, key.locationId());
        try (ResultSet rs = update.executeQuery()) {
          rs.next();
          Change c = new Change(key.productId(), key.locationId(), rs.getInt(1), System.currentTimeMillis());
          changes.add(c);
          pending.add(c);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!pending.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    } finally {
      running.set(false);
      watcher.join();
    }
    if (!pending.isEmpty()) out.printf("  %d change(s) not seen in Redis within 30 s of the last commit%n", pending.size());
  }

  private static void watchRedis(RedisSettings redis, ConcurrentLinkedQueue<Change> pending, List<Long> hotMillis,
      AtomicBoolean running) {
    try (Jedis jedis = redis.connect()) {
      while (running.get()) {
        List<Change> batch = new ArrayList<>(pending);
        if (!batch.isEmpty()) {
          redis.clients.jedis.Pipeline p = jedis.pipelined();
          List<Response<String>> values = new ArrayList<>();
          for (Change c : batch) values.add(p.hget(redis.availabilityKey(c.productId()), AvailabilityHash.field(c.locationId())));
          p.sync();
          long now = System.currentTimeMillis();
          for (int i = 0; i < batch.size(); i++) {
            String v = values.get(i).get();
            if (v != null && Integer.parseInt(v) >= batch.get(i).expected()) {
              hotMillis.add(now - batch.get(i).committedMs());
              pending.remove(batch.get(i));
            }
          }
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitGold(SparkSession spark, Tables tables, List<Change> changes, Duration timeout)
      throws InterruptedException {
    if (changes.isEmpty()) return;
    Change last = changes.get(changes.size() - 1);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long reached = spark.read().format("delta").load(tables.path(Tables.GOLD_INVENTORY_AVAILABILITY))
          .filter(col("product_id").equalTo(last.productId()).and(col("location_id").equalTo(last.locationId()))
              .and(col("available").geq(last.expected())))
          .count();
      if (reached > 0) return;
      Thread.sleep(1_000);
    }
    out.println("  the last change did not reach gold within " + timeout);
  }

  private record LakehouseTimes(List<Long> commitToKafka, List<Long> kafkaToGold, List<Long> commitToGold) {}

  /**
   * Joins each change to the first gold commit that holds it (Delta's commit timestamp) and
   * to its Kafka record in bronze (the broker's record time).
   */
  private static LakehouseTimes lakehouseTimes(SparkSession spark, Tables tables, List<Change> changes) {
    StructType schema = new StructType().add("productId", DataTypes.LongType).add("locationId", DataTypes.StringType)
        .add("expected", DataTypes.IntegerType).add("committedMs", DataTypes.LongType);
    Dataset<Row> committed = spark.createDataFrame(changes.stream()
        .map(c -> RowFactory.create(c.productId(), c.locationId(), c.expected(), c.committedMs())).toList(), schema);
    Dataset<Row> gold = spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", 0)
        .load(tables.path(Tables.GOLD_INVENTORY_AVAILABILITY))
        .filter("_change_type IN ('insert', 'update_postimage')")
        .select(col("product_id").as("g_product"), col("location_id").as("g_location"), col("available").as("g_available"),
            col("_commit_timestamp").as("g_ts"));
    Dataset<Row> bronze = spark.read().format("delta").load(tables.path(Tables.bronzeFor(tables.topics().cdc("inventory"))))
        .select(get_json_object(col("value"), "$.after.product_id").cast("long").as("k_product"),
            get_json_object(col("value"), "$.after.location_id").as("k_location"),
            get_json_object(col("value"), "$.after.on_hand").cast("int")
                .minus(get_json_object(col("value"), "$.after.reserved").cast("int")).as("k_available"),
            col("kafka_timestamp").as("k_ts"));
    Dataset<Row> firstGold = committed.join(gold, col("productId").equalTo(col("g_product"))
            .and(col("locationId").equalTo(col("g_location"))).and(col("g_available").geq(col("expected"))))
        .groupBy("productId", "locationId", "expected", "committedMs").agg(min("g_ts").as("gold_ts"));
    Dataset<Row> withKafka = firstGold.join(bronze, col("productId").equalTo(col("k_product"))
            .and(col("locationId").equalTo(col("k_location"))).and(col("k_available").equalTo(col("expected"))))
        .groupBy("productId", "locationId", "expected", "committedMs", "gold_ts").agg(min("k_ts").as("kafka_ts"));
    List<Long> commitToKafka = new ArrayList<>();
    List<Long> kafkaToGold = new ArrayList<>();
    List<Long> commitToGold = new ArrayList<>();
    for (Row r : withKafka.select("committedMs", "kafka_ts", "gold_ts").collectAsList()) {
      long committedMs = r.getLong(0);
      long kafkaMs = r.getTimestamp(1).getTime();
      long goldMs = r.getTimestamp(2).getTime();
      commitToKafka.add(kafkaMs - committedMs);
      kafkaToGold.add(goldMs - kafkaMs);
      commitToGold.add(goldMs - committedMs);
    }
    return new LakehouseTimes(commitToKafka, kafkaToGold, commitToGold);
  }

  /** Where the lakehouse time goes: each micro-batch query's recent batches. */
  private void printBatchDurations(JobRunner runner) {
    out.printf("%n%-28s %8s %14s %14s %14s%n", "query (recent batches)", "batches", "median ms", "max ms", "rows/batch");
    for (var q : runner.running()) {
      List<Long> ms = new ArrayList<>();
      long rows = 0;
      for (var p : q.recentProgress()) {
        Long total = p.durationMs().get("triggerExecution");
        if (total != null && p.numInputRows() > 0) {
          ms.add(total);
          rows += p.numInputRows();
        }
      }
      Collections.sort(ms);
      out.printf("%-28s %8d %14s %14s %14s%n", q.name(), ms.size(), pct(ms, 50), ms.isEmpty() ? "-" : ms.get(ms.size() - 1),
          ms.isEmpty() ? "-" : Long.toString(rows / ms.size()));
    }
  }

  private void print(List<Series> table) {
    out.printf("%n%-22s %-48s %6s %9s %9s %9s %9s%n", "path", "measured", "n", "p50 ms", "p95 ms", "p99 ms", "max ms");
    for (Series s : table) {
      List<Long> sorted = new ArrayList<>(s.millis());
      Collections.sort(sorted);
      out.printf("%-22s %-48s %6s %9s %9s %9s %9s%n", s.path(), s.span(),
          sorted.size() == s.expected() ? Integer.toString(sorted.size()) : sorted.size() + "/" + s.expected(),
          pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1));
    }
    out.printf("(%d cores, %s, %d changes/s; the devstack, both paths and this driver share the machine)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), options.rate());
  }

  /**
   * The JVM's compiler time per second of wall clock. Compiling takes cores from the jobs, so a
   * high figure marks a run that measured the JVM's start-up rather than the path as it runs.
   */
  record JitLoad(long compiledBeforeMillis, long startNanos) {
    static JitLoad start() {
      return new JitLoad(compileMillis(), System.nanoTime());
    }

    double compilerShare() {
      double wallMillis = (System.nanoTime() - startNanos) / 1e6;
      return wallMillis <= 0 ? 0 : (compileMillis() - compiledBeforeMillis) / wallMillis;
    }

    private static long compileMillis() {
      var bean = java.lang.management.ManagementFactory.getCompilationMXBean();
      return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean.getTotalCompilationTime() : 0;
    }
  }

  /** Nearest-rank percentile. */
  static String pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return "-";
    return Long.toString(Percentiles.nearestRank(sorted, p));
  }
}
