package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.checks.ApplyReconciliation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 the silver jobs at random points, restarting each time from their checkpoints: the
 * silver tables end equal to an uninterrupted run's over the same bronze (the
 * {@link SharedPipelineRun}'s), and to PostgreSQL. Three kills by default, each a restart of
 * about a minute: CI's budget holds three; {@code -Dshoplake.it.silver-kills=N} runs more.
 */
@Order(2)
class SilverFaultIT {
  private static final int KILLS = Integer.getInteger("shoplake.it.silver-kills", 3);
  /** Timestamps of when a row was applied differ between runs by nature. */
  private static final Set<String> RUN_TIME_COLUMNS = Set.of("_applied_at", "applied_at");

  @Test
  void silverKilledAtRandomPointsEndsEqualToAnUninterruptedRunAndToPostgres(@TempDir Path killed) throws Exception {
    Devstack devstack = Devstack.get();
    SparkSession spark = ItSpark.get(devstack);
    SharedPipelineRun uninterrupted = SharedPipelineRun.get();
    ShoplakeConfig reference = uninterrupted.config();
    List<String> silverJobs = Pipeline.jobs(reference).stream().map(Job::name).filter(n -> n.startsWith("silver.")).toList();

    SharedPipelineRun.copyTree(uninterrupted.warehouse().resolve("bronze"), killed.resolve("bronze"));
    Map<String, String> settings = new HashMap<>(devstack.isolatedSettings("local", killed));
    settings.put("shoplake.delta-source.max-files-per-trigger", "3");
    ShoplakeConfig config = devstack.config("local", settings);
    Path log = killed.resolve("silver.log");
    Random random = new Random(20261125);
    int kills = 0;
    while (kills < KILLS) {
      long before = silverCommits(killed);
      int after = 1 + random.nextInt(6);
      long started = System.nanoTime();
      Process silver = startSilver(settings, silverJobs, log);
      while (silver.isAlive() && silverCommits(killed) < before + after) Thread.sleep(100);
      System.out.printf("kill %d: %d s after its start, %d batch commits in%n", kills + 1,
          (System.nanoTime() - started) / 1_000_000_000, silverCommits(killed) - before);
      assertThat(silver.isAlive()).as("silver jobs still working at kill " + (kills + 1) + "; see " + log).isTrue();
      silver.destroyForcibly().waitFor();
      kills++;
    }
    // Small batches are for the kills to land between; the rest of the backlog needs none. The
    // last restart resumes the killed runs' checkpoints in this JVM, whose Spark is already warm:
    // a restart is a restart wherever it runs, and a cold child JVM would take a minute longer.
    Map<String, String> uncapped = new HashMap<>(settings);
    uncapped.remove("shoplake.delta-source.max-files-per-trigger");
    long started = System.nanoTime();
    PipelineRuns.runOnce(spark, devstack.config("local", uncapped), j -> j.name().startsWith("silver."));
    System.out.printf("last restart: %d s to the end%n", (System.nanoTime() - started) / 1_000_000_000);

    Tables reached = Tables.from(config);
    Tables expected = Tables.from(reference);
    for (TableDefinition def : Pipeline.tables(config)) {
      if (!def.id().layer().equals("silver")) continue;
      Dataset<Row> a = withoutRunTimes(spark.read().format("delta").load(reached.path(def.id())));
      Dataset<Row> b = withoutRunTimes(spark.read().format("delta").load(expected.path(def.id())));
      assertThat(a.exceptAll(b).count() + b.exceptAll(a).count())
          .as(def.id() + ": rows differing from the uninterrupted run").isZero();
    }
    for (var spec : Pipeline.cdcSpecs(config)) {
      var r = ApplyReconciliation.check(spark, reached, spec.silverTable().toString(),
          Tables.bronzeFor(reached.topics().cdc(spec.table())));
      assertThat(r.problems()).as("accounting of " + r.job() + " across the kills").isEmpty();
    }
    assertThat(PipelineRuns.silverDifferences(spark, config)).allSatisfy((table, keys) ->
        assertThat(keys).as("keys where " + table + " differs from PostgreSQL").isEmpty());
  }

  /** Without run times, and with map columns as JSON: set operations cannot compare maps. */
  private static Dataset<Row> withoutRunTimes(Dataset<Row> table) {
    Dataset<Row> kept = table.drop(RUN_TIME_COLUMNS.toArray(String[]::new));
    for (var f : kept.schema().fields()) {
      if (f.dataType() instanceof org.apache.spark.sql.types.MapType) {
        kept = kept.withColumn(f.name(), org.apache.spark.sql.functions.to_json(kept.col(f.name())));
      }
    }
    return kept;
  }

  /**
   * Batch commits so far across every silver table: progress the kills are timed by. A table's
   * first version is its creation when `run` starts, not a batch.
   */
  private static long silverCommits(Path warehouse) throws IOException {
    Path silver = warehouse.resolve("silver");
    if (!Files.isDirectory(silver)) return 0;
    while (true) {
      try (Stream<Path> files = Files.walk(silver, 3)) {
        return files.filter(p -> p.getParent().getFileName().toString().equals("_delta_log")
            && p.getFileName().toString().endsWith(".json")
            && !p.getFileName().toString().equals("00000000000000000000.json")).count();
      } catch (java.io.UncheckedIOException e) {
        // Delta writes each commit as a temp file renamed into place: one may vanish mid-walk.
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) throw e;
      }
    }
  }

  private static Process startSilver(Map<String, String> settings, List<String> jobs, Path log) throws IOException {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(jobs);
    return ChildShoplake.start(settings, log, args);
  }
}
