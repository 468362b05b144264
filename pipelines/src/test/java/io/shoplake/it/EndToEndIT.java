package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import io.shoplake.quality.AvailabilityComparison;
import io.shoplake.quality.PostgresSettings;
import io.shoplake.serving.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole flow on the real devstack: PostgreSQL → Debezium → Kafka → bronze → silver →
 * gold → Redis and Kafka, checked against the truth computed by SQL in PostgreSQL.
 */
class EndToEndIT {
  @ParameterizedTest(name = "--env {0}")
  @ValueSource(strings = {"local", "s3"})
  void availabilityEverywhereEqualsPostgresTruth(String env, @TempDir Path warehouse) throws Exception {
    Devstack devstack = Devstack.get();
    ShoplakeConfig config = devstack.config(env, devstack.isolatedSettings(env, warehouse));
    assertPipelineReproducesPostgres(ItSpark.get(devstack), config);
  }

  static void assertPipelineReproducesPostgres(SparkSession spark, ShoplakeConfig config) throws Exception {
    PipelineRuns.runUntilGoldMatchesPostgres(spark, config, Duration.ofMinutes(3));

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
    PipelineRuns.assertBronzeReconciles(spark, config);
    assertThat(spark.read().format("delta").load(Tables.from(config).path(Tables.bronzeFor("shop.orders"))).count())
        .as("orders captured").isGreaterThanOrEqualTo(300);
  }
}
