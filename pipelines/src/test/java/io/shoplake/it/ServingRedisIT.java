package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.delta.tables.DeltaTable;
import io.shoplake.Pipeline;
import io.shoplake.clickstream.ClickstreamJob;
import io.shoplake.core.TableAccess;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.quality.JobFailures;
import io.shoplake.status.JobHealth;
import io.shoplake.status.PipelineStatus;
import java.nio.file.Files;
import java.util.concurrent.ConcurrentHashMap;
import io.shoplake.core.JobContext;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.devstack.process.Ports;
import io.shoplake.devstack.redis.RedisServer;
import io.shoplake.inventory.Availability;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.inventory.InventorySettings;
import io.shoplake.checks.ServingCheck;
import io.shoplake.serving.AvailabilityServingJob;
import io.shoplake.serving.HotAvailabilityWriter;
import io.shoplake.serving.ServingTopics;
import io.shoplake.core.RedisSettings;
import io.shoplake.serving.VersionedHashWriter;
import io.shoplake.serving.VersionedHashWriter.FieldUpdate;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The serving contract against a real, private Redis: newest version wins; outages are survived. */
class ServingRedisIT {
  @TempDir static Path redisDir;
  static int port;

  @BeforeAll
  static void startRedis() throws Exception {
    port = Ports.free();
    startRedisOnPort();
  }

  private static void startRedisOnPort() throws Exception {
    new RedisServer(port, redisDir, redisDir.resolve("redis.pid")).start(redisDir.resolve("redis.log"));
  }

  @AfterAll
  static void stopRedis() throws Exception {
    RedisServer.stop(redisDir.resolve("redis.pid"));
  }

  @Test
  void versionedUpdatesSentInShuffledOrderFromSeveralWritersLeaveTheNewestInRedis() throws Exception {
    RedisSettings redis = new RedisSettings("127.0.0.1", port, null, "shuffled");
    Random random = new Random(20261125);
    List<FieldUpdate> updates = new ArrayList<>();
    Map<String, Map<String, long[]>> newest = new HashMap<>();
    for (long product = 1; product <= 30; product++) {
      for (String location : List.of("WH-EAST", "WH-WEST", "STORE-1")) {
        for (int i = 0; i < 8; i++) {
          // LSN-sized versions: beyond 2^53, where Lua numbers would lose the order.
          long version = 9_007_199_254_740_000L + random.nextInt(1_000_000);
          long units = random.nextInt(500);
          updates.add(new FieldUpdate(redis.availabilityKey(product), location, Long.toString(units), version));
          long[] seen = newest.computeIfAbsent(redis.availabilityKey(product), k -> new HashMap<>()).get(location);
          if (seen == null || version > seen[0]) newest.get(redis.availabilityKey(product)).put(location, new long[] {version, units});
        }
      }
    }
    Collections.shuffle(updates, random);
    ExecutorService writers = Executors.newFixedThreadPool(3);
    List<Future<Long>> done = new ArrayList<>();
    for (int from = 0; from < updates.size(); from += 17) {
      List<FieldUpdate> chunk = updates.subList(from, Math.min(from + 17, updates.size()));
      done.add(writers.submit(() -> {
        try (Jedis jedis = redis.connect()) {
          return VersionedHashWriter.write(jedis, chunk);
        }
      }));
    }
    for (Future<Long> f : done) f.get();
    writers.shutdown();

    try (Jedis jedis = redis.connect()) {
      newest.forEach((key, locations) -> {
        Map<String, String> hash = jedis.hgetAll(key);
        long total = 0;
        long top = 0;
        for (var e : locations.entrySet()) {
          assertThat(hash.get(e.getKey())).as(key + " " + e.getKey()).isEqualTo(Long.toString(e.getValue()[1]));
          assertThat(hash.get(e.getKey() + "@v")).isEqualTo(Long.toString(e.getValue()[0]));
          total += e.getValue()[1];
          top = Math.max(top, e.getValue()[0]);
        }
        assertThat(hash.get("_total")).as(key + " total").isEqualTo(Long.toString(total));
        assertThat(hash.get("_version")).as(key + " version").isEqualTo(Long.toString(top));
      });
    }
  }

  @Test
  void afterRedisWasDownAndCameBackEmptyTheServedStateCatchesUpWithGold(@TempDir Path warehouse) throws Exception {
    Devstack devstack = Devstack.get();
    Map<String, String> settings = devstack.isolatedSettings("local", warehouse);
    settings.put("shoplake.redis.port", Integer.toString(port));
    settings.put("shoplake.trigger.mode", "processing-time");
    settings.put("shoplake.trigger.interval", "500ms");
    ShoplakeConfig config = devstack.config("local", settings);
    SparkSession spark = ItSpark.get(devstack);
    JobContext context = JobContext.create(spark, config);
    Tables tables = context.tables();
    TableBootstrap.ensure(spark, tables, List.of(InventoryAvailabilityJob.output()));
    RedisSettings redis = RedisSettings.from(config);

    upsertGold(spark, tables, 1_000, 10);
    try (JobRunner runner = new JobRunner(context)) {
      StreamingQuery serving = runner.startAll(List.of(new AvailabilityServingJob(InventorySettings.from(config)))).get(0);
      awaitRedisEqualsGold(spark, tables, redis);

      RedisServer.stop(redisDir.resolve("redis.pid"));
      upsertGold(spark, tables, 2_000, 7);
      // The batch of the new versions now waits for Redis instead of failing the stream.
      Thread.sleep(3_000);
      assertThat(serving.isActive()).as("serving survives the outage").isTrue();

      // Back without its data, as a Redis without persistence restarts.
      startRedisOnPort();
      upsertGold(spark, tables, 3_000, 4);
      awaitRedisEqualsGold(spark, tables, redis);
      assertThat(serving.isActive()).isTrue();
    }
  }

  /**
   * Redis gone past the serving writers' outage timeout: the serving job fails, and the run's
   * supervisor restarts it again and again with back-off, while ingest and silver, in the same
   * run, take in a topic's clicks with their first queries; once Redis is back, the next restart
   * serves gold. Each failure is a row of quality.job_failures, and status calls the job FAILING
   * until it commits a batch.
   */
  @Test
  void aServingJobFailingPastTheRedisOutageTimeoutRestartsWhileIngestAndSilverRunOnThenServesOnceRedisIsBack(
      @TempDir Path warehouse, @TempDir Path laterRedisDir) throws Exception {
    Devstack devstack = Devstack.get();
    String clicks = "clickstream.supervised_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    int laterPort = Ports.free();
    Map<String, String> settings = devstack.isolatedSettings("local", warehouse);
    settings.put("shoplake.redis.port", Integer.toString(laterPort));
    settings.put("shoplake.redis.outage-timeout", "1s");
    settings.put("shoplake.supervision.restart-backoff", "1s");
    settings.put("shoplake.supervision.max-restart-backoff", "2s");
    settings.put("shoplake.supervision.max-failures", "0");
    settings.put("shoplake.trigger.mode", "processing-time");
    settings.put("shoplake.trigger.interval", "500ms");
    ShoplakeConfig config = devstack.ingestingOnly("local", settings, clicks);
    SparkSession spark = ItSpark.get(devstack);
    JobContext context = JobContext.create(spark, config);
    Tables tables = context.tables();
    List<io.shoplake.core.Job> jobs = new ArrayList<>();
    for (String job : List.of(BronzeIngestJob.NAME, ClickstreamJob.NAME, AvailabilityServingJob.NAME)) {
      jobs.addAll(Pipeline.select(config, job).orElseThrow());
    }
    TableBootstrap.ensure(spark, tables, Pipeline.graph(config).tablesTouchedBy(jobs));
    upsertGold(spark, tables, 1_000, 10);
    Map<String, Integer> servingFailures = new ConcurrentHashMap<>();
    io.shoplake.core.RunObserver counting = new io.shoplake.core.RunObserver() {
      @Override
      public void supervised(io.shoplake.core.Job job, io.shoplake.core.SupervisedFailure failure) {
        servingFailures.merge(job.name(), 1, Integer::sum);
      }
    };

    try (JobRunner runner = new JobRunner(context, List.of(JobFailures.of(context), counting))) {
      Map<String, StreamingQuery> first = new HashMap<>();
      runner.startAll(jobs).forEach(q -> first.put(q.name(), q));
      devstack.plantIncidents("--topic", clicks, "--bucket", "10s", "--buckets", "0-3");

      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(servingFailures.getOrDefault(AvailabilityServingJob.NAME, 0)).as("serving's failures")
            .isGreaterThanOrEqualTo(2);
        assertThat(TableAccess.of(spark, tables).read(Tables.bronzeFor(clicks)).count()).as("bronze").isEqualTo(120);
        assertThat(TableAccess.of(spark, tables).read(Tables.SILVER_CLICKSTREAM).count()
            + TableAccess.of(spark, tables).read(Tables.QUARANTINE)
                .filter(org.apache.spark.sql.functions.col("stage").equalTo(ClickstreamJob.NAME)).count())
            .as("clicks in silver or its quarantine").isEqualTo(120);
      });
      assertThat(servingFailures).as("only serving failed").containsOnlyKeys(AvailabilityServingJob.NAME);
      for (String job : List.of(BronzeIngestJob.NAME, ClickstreamJob.NAME)) {
        assertThat(runner.running()).as(job + "'s first query, never stopped").contains(first.get(job));
        assertThat(first.get(job).isActive()).as(job).isTrue();
      }

      // The engineer on call sees it: the failures reach quality.job_failures off the failing path.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
          assertThat(servingHealth(spark, config)).satisfies(h -> {
            assertThat(h.state()).isEqualTo(JobHealth.State.FAILING);
            assertThat(h.failure().orElseThrow().cause()).contains("unreachable for PT1S");
          }));

      new RedisServer(laterPort, laterRedisDir, laterRedisDir.resolve("redis.pid")).start(laterRedisDir.resolve("redis.log"));
      awaitRedisEqualsGold(spark, tables, RedisSettings.from(config));
      runner.failIfGaveUp();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
          assertThat(servingHealth(spark, config).state()).as("once a batch committed").isNotEqualTo(JobHealth.State.FAILING));
    } finally {
      if (Files.exists(laterRedisDir.resolve("redis.pid"))) RedisServer.stop(laterRedisDir.resolve("redis.pid"));
    }

    List<Row> failures = TableAccess.of(spark, tables).read(Tables.JOB_FAILURES).orderBy("failed_at").collectAsList();
    assertThat(failures).as("quality.job_failures").hasSize(servingFailures.get(AvailabilityServingJob.NAME))
        .allSatisfy(r -> {
          assertThat(r.getString(r.fieldIndex("job"))).isEqualTo(AvailabilityServingJob.NAME);
          assertThat(r.getString(r.fieldIndex("cause"))).contains("unreachable for PT1S");
          assertThat(r.isNullAt(r.fieldIndex("restart_after_ms"))).as("restarted, not given up").isFalse();
        });
    assertThat(failures.stream().map(r -> r.getInt(r.fieldIndex("in_a_row"))).toList()).as("in a row")
        .startsWith(1, 2);
  }

  private static JobHealth servingHealth(SparkSession spark, ShoplakeConfig config) throws Exception {
    return PipelineStatus.gather(spark, Tables.from(config), Pipeline.graph(config),
            new PipelineStatus.Sources(null, null, ""), Duration.ofMinutes(10)).jobs().stream()
        .filter(j -> j.job().equals(AvailabilityServingJob.NAME)).findFirst().orElseThrow();
  }

  @Test
  void aReplayedHotPathEpochSendsTheProductAgainThoughRedisAlreadyHoldsTheChange() throws Exception {
    String bootstrap = bootstrap();
    String topic = newCompactedTopic(bootstrap, "it.hot_replay.");
    RedisSettings redis = new RedisSettings("127.0.0.1", port, null, "hot-replay");
    List<Row> epoch = List.of(hotRow(7L, "WH-EAST", 5, 100L), hotRow(7L, "STORE-1", 2, 101L));

    // The first run of the epoch reached Redis; suppose its messages were lost and it failed.
    for (int run = 0; run < 2; run++) {
      HotAvailabilityWriter writer = new HotAvailabilityWriter(redis, KafkaConnection.plaintext(bootstrap), topic);
      writer.open(0, 1);
      epoch.forEach(writer::process);
      writer.close(null);
    }

    assertThat(ServingTopicReader.values(bootstrap, topic))
        .as("the replay re-sends the complete product, not nothing because Redis said 'not newer'")
        .hasSize(4)
        .last().isEqualTo(HotAvailabilityWriter.productValue(7L,
            Map.of("WH-EAST", "5", "STORE-1", "2", "_version", "101"), 1_764_064_800_000L));
  }

  @Test
  void aStopThatInterruptsTheHotPathsTaskStillFlushesItsMessagesAndKeepsTheInterrupt() throws Exception {
    String bootstrap = bootstrap();
    String topic = newCompactedTopic(bootstrap, "it.hot_stop.");
    HotAvailabilityWriter writer = new HotAvailabilityWriter(
        new RedisSettings("127.0.0.1", port, null, "hot-stop"), KafkaConnection.plaintext(bootstrap), topic);
    writer.open(0, 1);
    writer.process(hotRow(8L, "WH-EAST", 3, 200L));

    // What stopping a real-time query does to the task that runs the writer.
    Thread.currentThread().interrupt();
    boolean stillInterrupted;
    try {
      writer.close(null);
    } finally {
      stillInterrupted = Thread.interrupted();
    }

    assertThat(stillInterrupted).as("Spark still sees the task was interrupted").isTrue();
    assertThat(ServingTopicReader.values(bootstrap, topic)).containsExactly(HotAvailabilityWriter.productValue(8L,
        Map.of("WH-EAST", "3", "_version", "200"), 1_764_064_800_000L));
  }

  private static String bootstrap() {
    return Devstack.get().config("local", new HashMap<>()).string("shoplake.kafka.bootstrap-servers");
  }

  private static String newCompactedTopic(String bootstrap, String prefix) {
    String topic = prefix + System.nanoTime();
    ServingTopics.ensureCompacted(KafkaConnection.plaintext(bootstrap), topic, 1);
    return topic;
  }

  /** A row as the hot path hands it to its writer. */
  private static Row hotRow(long productId, String location, int available, long version) {
    StructType schema = new StructType()
        .add("product_id", DataTypes.LongType).add("location_id", DataTypes.StringType)
        .add("available", DataTypes.IntegerType).add("version", DataTypes.LongType)
        .add("source_ts_ms", DataTypes.LongType).add("readable", DataTypes.BooleanType);
    return new GenericRowWithSchema(new Object[] {productId, location, available, version, 1_764_064_800_000L, true}, schema);
  }

  /** New versions for the first {@code products} products at three locations. */
  private static void upsertGold(SparkSession spark, Tables tables, long version, int products) {
    List<Row> rows = new ArrayList<>();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (long p = 1; p <= products; p++) {
      for (String location : List.of("WH-EAST", "WH-WEST", "STORE-1")) {
        int onHand = (int) ((version / 100 + p * 7 + location.length()) % 40);
        rows.add(RowFactory.create(p, location, onHand, 2, Math.max(onHand - 2, 0), false, version + p, now, now));
      }
    }
    Dataset<Row> updates = spark.createDataFrame(rows, Availability.LOCATION_SCHEMA);
    DeltaTable.forPath(spark, tables.path(Tables.GOLD_INVENTORY_AVAILABILITY)).as("t")
        .merge(updates.as("s"), "t.product_id = s.product_id AND t.location_id = s.location_id")
        .whenMatched().updateAll().whenNotMatched().insertAll().execute();
  }

  private static void awaitRedisEqualsGold(SparkSession spark, Tables tables, RedisSettings redis) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(ServingCheck.differences(ServingCheck.gold(spark, tables), ServingCheck.redis(redis)))
            .as("Redis vs gold, values and versions").isEmpty());
  }
}
