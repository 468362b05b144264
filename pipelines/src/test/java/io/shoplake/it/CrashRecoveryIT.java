package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import io.shoplake.quality.AvailabilityComparison;
import io.shoplake.quality.PostgresSettings;
import io.shoplake.serving.RedisSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the running pipeline while the shop is busy, start it again: it resumes from its
 * checkpoints and ends with the same tables as if nothing happened.
 */
class CrashRecoveryIT {
  @Test
  void pipelineKilledMidRunResumesWithoutLossOrDuplicates(@TempDir Path warehouse) throws Exception {
    Devstack devstack = Devstack.get();
    Map<String, String> settings = devstack.isolatedSettings("local", warehouse);
    ShoplakeConfig config = devstack.config("local", settings);
    SparkSession spark = ItSpark.get(devstack);
    Tables tables = Tables.from(config);
    Path log = warehouse.resolve("pipeline.log");

    Process pipeline = startPipeline(settings, log);
    // Once every layer has committed (the backlog is through), the shop gets busy; the kill
    // lands while live changes are in flight through every layer.
    await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
        .until(() -> Files.exists(deltaLogEntry(tables, Tables.GOLD_INVENTORY_AVAILABILITY, 1)));
    // Long enough for a continuous run of every job (two dozen queries on two cores) to commit
    // gold again while the simulator is still busy.
    Process simulator = devstack.startSimulator("--duration", "240s", "--rate", "60", "--seed", "7");
    long goldBefore = deltaLogVersions(tables, Tables.GOLD_INVENTORY_AVAILABILITY);
    await().atMost(Duration.ofSeconds(220)).pollInterval(Duration.ofMillis(500))
        .until(() -> deltaLogVersions(tables, Tables.GOLD_INVENTORY_AVAILABILITY) > goldBefore);
    assertThat(simulator.isAlive()).as("simulator still running at the kill").isTrue();
    pipeline.destroyForcibly().waitFor();

    Process restarted = startPipeline(settings, log);
    try {
      assertThat(simulator.waitFor()).isZero();
      PostgresSettings pg = PostgresSettings.from(config);
      RedisSettings redis = RedisSettings.from(config);
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
        assertThat(restarted.isAlive()).as("restarted pipeline alive; see " + log).isTrue();
        Map<String, Integer> truth = AvailabilityComparison.postgres(pg);
        assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables))).isEmpty();
        assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.redis(redis))).isEmpty();
      });
    } finally {
      restarted.destroy();
      restarted.waitFor();
    }
    PipelineRuns.assertBronzeReconciles(spark, config);
  }

  private static long deltaLogVersions(Tables tables, io.shoplake.core.TableId table) throws IOException {
    try (var files = Files.list(Path.of(java.net.URI.create(tables.path(table) + "/_delta_log")))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
    }
  }

  private static Path deltaLogEntry(Tables tables, io.shoplake.core.TableId table, long version) {
    return Path.of(java.net.URI.create(tables.path(table) + "/_delta_log/" + String.format("%020d.json", version)));
  }

  private static Process startPipeline(Map<String, String> settings, Path log) throws IOException {
    return ChildShoplake.start(settings, log, List.of("run", "pipeline", "--continuous"));
  }
}
