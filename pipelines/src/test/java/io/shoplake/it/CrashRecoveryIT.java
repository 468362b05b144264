package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.serving.AvailabilityServingJob;
import io.shoplake.serving.HotAvailabilityJob;
import io.shoplake.core.RedisSettings;
import io.shoplake.testing.FreePort;
import io.shoplake.testing.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL the running pipeline while the shop is busy, start it again: it resumes from its
 * checkpoints and ends with the same tables as if nothing happened. It continues the
 * {@link SharedPipelineRun} (the backlog is through every layer) and so runs last.
 *
 * <p>What runs, and is killed, is what the test checks: ingest, whose bronze must equal Kafka,
 * and the availability path to gold and Redis ({@link SilverFaultIT} kills the silver jobs).
 * The other queries only shared the two cores and made each step wait minutes.
 *
 * <p>The run it restarts is also watched as on call: a private Prometheus scrapes its metrics
 * endpoint, and its series must exist and move; ingest's consumer group must never be ahead of
 * bronze at the kill, and equal to it at the end. Stopped at last with SIGTERM, each of its jobs
 * says once that it stopped, and nothing logs an error or a stack trace.
 */
@Order(Integer.MAX_VALUE)
class CrashRecoveryIT {
  @Test
  void pipelineKilledMidRunResumesWithoutLossOrDuplicates() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get().handOver();
    Devstack devstack = Devstack.get();
    Map<String, String> settings = run.settings();
    ShoplakeConfig config = run.config();
    SparkSession spark = ItSpark.get(devstack);
    Tables tables = Tables.from(config);
    Path log = run.warehouse().resolve("pipeline.log");

    Process pipeline = startPipeline(settings, log);
    // The shop gets busy while the pipeline starts; the kill lands once gold has committed live
    // changes, so that they are in flight from Kafka through bronze to gold and Redis.
    Process simulator = devstack.startSimulator("--duration", "600s", "--rate", "60", "--seed", "7",
        "--until-stdin-closes");
    long goldBefore = deltaLogVersions(tables, Tables.GOLD_INVENTORY_AVAILABILITY);
    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
        .until(() -> deltaLogVersions(tables, Tables.GOLD_INVENTORY_AVAILABILITY) > goldBefore);
    assertThat(simulator.isAlive()).as("simulator still running at the kill").isTrue();
    pipeline.destroyForcibly().waitFor();
    // Mirrored only once a batch is durable: whatever the kill interrupted, no group is ahead of bronze.
    Map<TopicPartition, Long> ingested = ConsumerGroups.ingested(spark, tables);
    Map<TopicPartition, Long> group = ConsumerGroups.committed(config, "shoplake." + BronzeIngestJob.NAME);
    assertThat(group).as("bronze.ingest's consumer group at the kill").isNotEmpty();
    group.forEach((partition, offset) -> assertThat(offset).as("committed offset of " + partition + " at the kill")
        .isLessThanOrEqualTo(ingested.getOrDefault(partition, 0L)));
    // On call, the pipeline down is red: the shop's records wait for ingest (none may wait here).
    StatusCli.Status down = StatusCli.run(settings, Map.of("shoplake.status.stale-after", "0s"));
    assertThat(down.exitCode()).as("status while the pipeline is down: " + down.json()).isEqualTo(3);
    assertThat(down.job(BronzeIngestJob.NAME).path("state").asText()).isEqualTo("behind");
    assertThat(down.job(BronzeIngestJob.NAME).path("sources").findValues("unit").stream().map(JsonNode::asText))
        .contains("records");

    int metricsPort = FreePort.pick();
    int sparkUiPort = FreePort.pick();
    Process restarted = startPipeline(withMetricsOn(settings, metricsPort, sparkUiPort), log);
    long stopFrom = -1;
    try (PrometheusServer prometheus = PrometheusServer.scraping(run.warehouse().resolve("prometheus"), List.of(
        new PrometheusServer.Target("shoplake", "127.0.0.1:" + metricsPort, "/metrics"),
        new PrometheusServer.Target("spark", "127.0.0.1:" + sparkUiPort, "/metrics/prometheus")))) {
      // The restarted pipeline takes up the changes made while it was down and while it runs,
      // then the shop stops and the pipeline settles.
      long goldAtKill = deltaLogVersions(tables, Tables.GOLD_INVENTORY_AVAILABILITY);
      await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
          .until(() -> !restarted.isAlive() || deltaLogVersions(tables, Tables.GOLD_INVENTORY_AVAILABILITY) > goldAtKill);
      assertThat(simulator.isAlive()).as("simulator still running after the restart").isTrue();
      Map<String, Double> live = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .until(() -> metrics(prometheus), m -> m.get("batches") != null);
      simulator.getOutputStream().close();
      assertThat(simulator.waitFor()).isZero();
      PostgresSettings pg = PostgresSettings.from(config);
      RedisSettings redis = RedisSettings.from(config);
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
        assertThat(restarted.isAlive()).as("restarted pipeline alive; see " + log).isTrue();
        Map<String, Integer> truth = AvailabilityComparison.postgres(pg);
        assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables))).isEmpty();
        assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.redis(redis))).isEmpty();
      });
      Map<String, Double> settled = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .until(() -> metrics(prometheus), m -> m.get("batches") != null && m.get("batches") > live.get("batches"));
      assertThat(settled.get("input rows")).as("ingest's input rows, through Prometheus").isGreaterThan(live.get("input rows"));
      assertThat(settled.get("gold batches")).as("gold availability's batches, through Prometheus").isPositive();
      assertThat(settled.get("lag series")).as("ingest's Kafka lag series, one per partition").isPositive();
      assertThat(settled.get("jvm heap")).as("the JVM's heap in use").isPositive();
      assertThat(settled.get("spark driver series")).as("Spark's driver series, from its UI").isPositive();
      assertThat(settled.get("spark ingest query series")).as("Spark's series of the ingest query").isPositive();
      // Back up, nothing is red. The silver jobs were not run by this test: bronze's new commits
      // wait for them, and status says so without calling it red within stale-after.
      StatusCli.Status up = StatusCli.run(settings, Map.of("shoplake.status.stale-after", "30m",
          "shoplake.status.prometheus-url", prometheus.url()));
      assertThat(up.exitCode()).as("status once restarted: " + up.json()).isZero();
      for (String job : List.of(BronzeIngestJob.NAME, InventoryAvailabilityJob.NAME, AvailabilityServingJob.NAME)) {
        assertThat(up.job(job).path("state").asText()).as(job).isIn("ok", "catching_up");
      }
      JsonNode silver = up.job("silver.inventory");
      assertThat(silver.path("state").asText()).isEqualTo("catching_up");
      assertThat(silver.path("sources").get(0).path("unread").asLong()).as("bronze commits silver has not read").isPositive();
      assertThat(StatusIT.served(up, "redis", AvailabilityServingJob.NAME).path("age_seconds").asLong())
          .as("age of Redis' availability, published by the restarted run").isLessThan(600);
      assertThat(up.json().path("alerts").path("asked").asBoolean()).as("the alerts of the private Prometheus").isTrue();
      assertThat(up.json().path("alerts").has("problem")).as(up.json().path("alerts").toString()).isFalse();
    } finally {
      stopFrom = Files.size(log);
      restarted.destroy();
      restarted.waitFor();
    }
    assertStoppedCleanly(log, stopFrom);
    PipelineRuns.assertBronzeReconciles(spark, config);
    assertThat(ConsumerGroups.committed(config, "shoplake." + BronzeIngestJob.NAME))
        .as("bronze.ingest's consumer group once the restarted pipeline caught up")
        .isEqualTo(ConsumerGroups.ingested(spark, tables));
  }

  /**
   * What Prometheus, scraping the continuous run every second, holds of it: ingest's batches and
   * rows, gold availability's batches, how many Kafka lag series ingest has, the JVM's heap, and
   * how many series Spark's own endpoint gives, for the driver and for the ingest query.
   */
  private static Map<String, Double> metrics(PrometheusServer prometheus) throws Exception {
    Map<String, Double> m = new java.util.HashMap<>();
    String ingest = "{shoplake_job=\"" + BronzeIngestJob.NAME + "\"}";
    one(prometheus, "shoplake_job_batches_total" + ingest).ifPresent(v -> m.put("batches", v));
    one(prometheus, "shoplake_job_input_rows_total" + ingest).ifPresent(v -> m.put("input rows", v));
    one(prometheus, "shoplake_job_batches_total{shoplake_job=\"" + InventoryAvailabilityJob.NAME + "\"}")
        .ifPresent(v -> m.put("gold batches", v));
    one(prometheus, "count(shoplake_kafka_lag_records" + ingest + ")").ifPresent(v -> m.put("lag series", v));
    one(prometheus, "sum(jvm_memory_used_bytes{area=\"heap\"})").ifPresent(v -> m.put("jvm heap", v));
    // Spark's own, under the stable namespace shoplake (not the run's app id), per streaming query too.
    one(prometheus, "count({job=\"spark\", __name__=~\"metrics_shoplake_driver_.+\"})")
        .ifPresent(v -> m.put("spark driver series", v));
    one(prometheus, "count({job=\"spark\", __name__=~\".*spark_streaming_" + BronzeIngestJob.NAME.replace('.', '_')
        + "_.*\"})").ifPresent(v -> m.put("spark ingest query series", v));
    return m;
  }

  private static java.util.Optional<Double> one(PrometheusServer prometheus, String promql) throws Exception {
    Map<String, Double> series = prometheus.query(promql);
    assertThat(series.size()).as(promql).isLessThanOrEqualTo(1);
    return series.values().stream().findFirst();
  }

  private static Map<String, String> withMetricsOn(Map<String, String> settings, int port, int sparkUiPort) {
    Map<String, String> with = new java.util.HashMap<>(settings);
    with.put("shoplake.metrics.port", Integer.toString(port));
    with.put("shoplake.spark.conf.\"spark.ui.port\"", Integer.toString(sparkUiPort));
    return with;
  }

  private static long deltaLogVersions(Tables tables, io.shoplake.core.TableId table) throws IOException {
    try (var files = Files.list(Path.of(java.net.URI.create(tables.path(table) + "/_delta_log")))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
    }
  }

  /**
   * What SIGTERM left in the log from {@code from} on: one line per job saying it stopped, and
   * no error and no stack trace (an interrupted Kafka consumer or task must not look like a failure).
   */
  private static void assertStoppedCleanly(Path log, long from) throws IOException {
    byte[] all = Files.readAllBytes(log);
    List<String> lines = new String(java.util.Arrays.copyOfRange(all, (int) from, all.length),
        java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).as("the log of the stop").noneMatch(l -> l.matches("^[0-9:.]+ ERROR .*"))
        .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
    for (String job : List.of(BronzeIngestJob.NAME, InventoryAvailabilityJob.NAME, AvailabilityServingJob.NAME,
        HotAvailabilityJob.NAME)) {
      assertThat(lines).as("lines saying " + job + " stopped")
          .filteredOn(l -> l.matches("^[0-9:.]+ INFO  (JobRunner|RealTimeStop): " + java.util.regex.Pattern.quote(job)
              + " stopped.*")).hasSize(1);
    }
  }

  private static Process startPipeline(Map<String, String> settings, Path log) throws IOException {
    return ChildShoplake.start(settings, log, List.of("run", BronzeIngestJob.NAME, InventoryAvailabilityJob.NAME,
        AvailabilityServingJob.NAME, HotAvailabilityJob.NAME, "--continuous"));
  }
}
