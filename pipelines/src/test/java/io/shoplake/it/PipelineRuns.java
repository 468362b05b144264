package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.quality.AvailabilityComparison;
import io.shoplake.quality.BronzeReconciliation;
import io.shoplake.quality.PostgresSettings;
import io.shoplake.quality.SilverComparison;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Running the real jobs in a test, and the checks every end-to-end test makes. */
final class PipelineRuns {
  private PipelineRuns() {}

  /** One available-now pass of every job, in data-flow order. */
  static void runOnce(SparkSession spark, ShoplakeConfig config) throws Exception {
    JobContext context = JobContext.create(spark, config);
    TableBootstrap.ensure(spark, context.tables(), Pipeline.tables(config, context.tables()));
    try (JobRunner runner = new JobRunner(context)) {
      runner.runToCompletion(Pipeline.jobs(config));
    }
  }

  /**
   * Passes until gold equals PostgreSQL: Debezium may still be publishing the last commits
   * when a pass starts.
   */
  static void runUntilGoldMatchesPostgres(SparkSession spark, ShoplakeConfig config, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Tables tables = Tables.from(config);
    PostgresSettings pg = PostgresSettings.from(config);
    while (true) {
      runOnce(spark, config);
      Map<String, Integer> truth = AvailabilityComparison.postgres(pg);
      if (AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables)).isEmpty()) return;
      if (System.nanoTime() > deadline) {
        assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables)))
            .as("product/location keys where gold differs from PostgreSQL").isEmpty();
      }
      Thread.sleep(1_000);
    }
  }

  /** Every silver table equals its source table, personal columns pseudonymised. */
  static void assertSilverEqualsPostgres(SparkSession spark, ShoplakeConfig config) throws Exception {
    Tables tables = Tables.from(config);
    PostgresSettings pg = PostgresSettings.from(config);
    Pseudonymizer pseudonymizer = new Pseudonymizer(config.string("shoplake.pii.key"));
    for (CdcTableSpec spec : io.shoplake.Pipeline.cdcSpecs(config)) {
      assertThat(SilverComparison.differences(spark, tables, spec, pg, pseudonymizer))
          .as("keys where " + spec.silverTable() + " differs from PostgreSQL").isEmpty();
    }
  }

  static void assertBronzeReconciles(SparkSession spark, ShoplakeConfig config) {
    var results = BronzeReconciliation.check(spark, Tables.from(config), config.string("shoplake.kafka.bootstrap-servers"));
    assertThat(results).as("source topic partitions").isNotEmpty();
    assertThat(results.stream().mapToLong(BronzeReconciliation.PartitionResult::kafkaRecords).sum()).isPositive();
    assertThat(results).allSatisfy(r -> assertThat(r.problems()).as(r.topic() + "-" + r.partition()).isEmpty());
  }
}
