package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.core.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow on the real devstack: PostgreSQL → Debezium → Kafka → bronze → silver →
 * gold → Redis and Kafka, checked against the truth computed by SQL in PostgreSQL.
 */
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
  /**
   * The shared run, its warehouse on the S3 endpoint through s3a: its tables, then the
   * user-facing checks on them and on a tampered local copy.
   */
  @Test
  @Order(1)
  void availabilityEverywhereEqualsPostgresTruthOnS3(@TempDir Path tampered) throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    SparkSession spark = ItSpark.get(Devstack.get());
    assertThat(Tables.from(run.s3Config()).warehouse()).startsWith("s3a://");
    assertPipelineReproducesPostgres(spark, run.s3Config());
    assertChecksAgreeAndNameATamperedRow(spark, "s3", run.s3Settings(), run.s3Config(),
        run.copyWarehouse(tampered).toUri().toString());
  }

  /**
   * `check serving reconcile` (both checks, one Spark start) agrees with the tests, and `check
   * reconcile` names what differs once silver in {@code tamperedWarehouse} (the checked one, or a
   * copy of it) loses a row.
   */
  private static void assertChecksAgreeAndNameATamperedRow(SparkSession spark, String env, Map<String, String> settings,
      ShoplakeConfig config, String tamperedWarehouse) {
    String both = runCli(checks(env, settings, Tables.from(config).warehouse(), "serving", "reconcile"));
    assertThat(both).as("shoplake check serving reconcile").startsWith("0\n")
        .contains("ok   serving gold.inventory_availability = Redis")
        .contains("ok   gold    gold.inventory_availability = PostgreSQL inventory")
        .contains("ok   silver  silver.customers = PostgreSQL customers").contains("ok   bronze  shop.inventory-0")
        .contains("ok   apply   silver.clickstream: bronze ");
    assertThat(both.indexOf("ok   serving")).as("the checks run in the order given").isLessThan(both.indexOf("ok   bronze"));
    Tables tampered = Tables.from(config.with("shoplake.storage.warehouse", tamperedWarehouse));
    long order = spark.read().format("delta").load(tampered.path(new TableId("silver", "orders")))
        .selectExpr("max(order_id)").first().getLong(0);
    io.delta.tables.DeltaTable.forPath(spark, tampered.path(new TableId("silver", "orders")))
        .delete("order_id = " + order);
    // A difference found by the second check fails the run though the first found none.
    assertThat(runCli(checks(env, settings, tamperedWarehouse, "serving", "reconcile"))).startsWith("3\n")
        .contains("ok   serving gold.inventory_availability = Redis")
        .contains("DIFF silver  silver.orders").contains("e.g. " + order);
  }

  private static String[] checks(String env, Map<String, String> settings, String warehouse, String... checks) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("check"));
    args.addAll(java.util.List.of(checks));
    args.addAll(java.util.List.of("--env", env));
    Map<String, String> conf = new java.util.HashMap<>(settings);
    conf.put("shoplake.storage.warehouse", warehouse);
    conf.put("shoplake.pii.key", Devstack.PII_KEY);
    conf.forEach((k, v) -> args.addAll(java.util.List.of("--conf", k + "=" + v)));
    return args.toArray(String[]::new);
  }

  /** Exit code, a newline, then what the command printed. */
  private static String runCli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    int code = io.shoplake.cli.ShoplakeCli.execute(new java.io.PrintWriter(out, true),
        new java.io.PrintWriter(out, true), args);
    return code + "\n" + out;
  }

  /** Everything the pipeline serves and keeps equals PostgreSQL, once a run has caught up. */
  static void assertPipelineReproducesPostgres(SparkSession spark, ShoplakeConfig config) throws Exception {
    Map<String, Integer> truth = AvailabilityComparison.postgres(PostgresSettings.from(config));
    assertThat(truth).as("inventory rows in PostgreSQL").hasSizeGreaterThan(100);
    assertThat(truth.values()).as("the scenario has stock to promise").anyMatch(v -> v > 0);
    try (var c = PostgresSettings.from(config).connect(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT count(*) FILTER (WHERE reserved > 0), count(*) FILTER (WHERE on_hand > 0) FROM inventory")) {
      rs.next();
      assertThat(rs.getInt(1)).as("rows with open reservations").isPositive();
      assertThat(rs.getInt(2)).as("rows with stock").isPositive();
    }
    assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, Tables.from(config))))
        .as("gold vs PostgreSQL").isEmpty();
    assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.redis(RedisSettings.from(config))))
        .as("Redis vs PostgreSQL").isEmpty();
    assertThat(AvailabilityComparison.differences(truth, ServingTopicReader.latestAvailability(
        config.string("shoplake.kafka.bootstrap-servers"), config.string("shoplake.serving.availability-topic"))))
        .as("serving topic vs PostgreSQL").isEmpty();
    // Low-stock alerts: the newest alert of every location says LOW exactly where gold is
    // below the threshold now (the snapshot's low rows alerted on insert).
    int threshold = config.integer("shoplake.inventory.low-stock-threshold");
    Map<String, String> alerts = ServingTopicReader.latestAlerts(config.string("shoplake.kafka.bootstrap-servers"),
        config.string("shoplake.serving.low-stock-topic"));
    Map<String, Integer> gold = AvailabilityComparison.gold(spark, Tables.from(config));
    assertThat(alerts).as("the scenario has low stock").containsValue("LOW");
    gold.forEach((key, available) -> assertThat(alerts.getOrDefault(key, "none").equals("LOW"))
        .as("newest alert of " + key + " at " + available + " units: " + alerts.get(key)).isEqualTo(available < threshold));
    PipelineRuns.assertSegmentsAndPricesInRedisEqualGold(spark, config);
    PipelineRuns.assertBronzeReconciles(spark, config);
    PipelineRuns.assertSilverEqualsPostgres(spark, config);
    try (var c = PostgresSettings.from(config).connect(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT count(*) FROM outbox")) {
      rs.next();
      assertThat(spark.read().format("delta").load(Tables.from(config).path(Tables.SILVER_ORDER_EVENTS)).count())
          .as("silver.order_events: each outbox event once").isEqualTo(rs.getLong(1));
    }
    assertThat(spark.read().format("delta").load(Tables.from(config).path(Tables.bronzeFor("shop.orders"))).count())
        .as("orders captured").isGreaterThanOrEqualTo(300);
  }
}
