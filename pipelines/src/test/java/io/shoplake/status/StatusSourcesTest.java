package io.shoplake.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.JobContext;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `status` reads of a job: its checkpoint, and what waits in its Delta source past it. */
class StatusSourcesTest {
  private static final TableId INPUT = new TableId("silver", "status_test_input");
  private static final StructType SCHEMA = new StructType().add("value", DataTypes.LongType, false);

  @TempDir Path warehouse;

  @Test
  void aCaughtUpJobHasNothingWaitingAndANewDataCommitWaitsSinceItWasMadeWhileOptimizeCountsForNothing() throws Exception {
    SparkSession spark = SharedSpark.get();
    JobContext ctx = JobContext.create(spark, ShoplakeConfig.load("local",
        Map.of("shoplake.storage.warehouse", warehouse.toUri().toString())));
    TableBootstrap.ensure(spark, ctx.tables(), List.of(TableDefinition.of(INPUT, SCHEMA)));
    String checkpoint = ctx.tables().checkpoint("gold.status_test", "main");
    assertThat(CheckpointProgress.read(checkpoint, spark.sparkContext().hadoopConfiguration()))
        .as("before its first batch").isEmpty();

    land(ctx, 1, 2, 3);
    ctx.startForEachBatch(ctx.readDeltaStream(INPUT), "gold.status_test", (batch, id) -> batch.count()).awaitTermination();
    CheckpointProgress progress = CheckpointProgress.read(checkpoint, spark.sparkContext().hadoopConfiguration()).orElseThrow();
    assertThat(progress.committedBatch()).isZero();
    assertThat(progress.batchInFlight()).isFalse();
    assertThat(progress.committedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(progress.sourceOffsets()).singleElement().asString().contains("reservoirId");

    try (SourceLag lag = new SourceLag(ctx.access(), List.of(INPUT), null)) {
      assertThat(lag.of(progress.sourceOffsets())).singleElement()
          .satisfies(l -> assertThat(List.of(l.source(), l.unit(), l.unread())).containsExactly("silver.status_test_input", "commits", 0L));
      assertThat(JobHealth.of("gold.status_test", Optional.of(progress), lag.of(progress.sourceOffsets()), Optional.empty(), Instant.now(),
          Duration.ZERO).state()).isEqualTo(JobHealth.State.OK);

      Instant before = Instant.now().minusSeconds(1);
      land(ctx, 4);
      io.delta.tables.DeltaTable.forPath(spark, ctx.tables().path(INPUT)).optimize().executeCompaction();
      SourceLag.Lag waiting = lag.of(progress.sourceOffsets()).get(0);
      assertThat(waiting.unread()).as("the append waits; the compaction brings no rows").isEqualTo(1);
      assertThat(waiting.waitingSince()).get().satisfies(t -> assertThat(t).isBetween(before, Instant.now()));
      var lags = lag.of(progress.sourceOffsets());
      assertThat(JobHealth.of("gold.status_test", Optional.of(progress), lags, Optional.empty(), Instant.now(), Duration.ofMinutes(10)).state())
          .isEqualTo(JobHealth.State.CATCHING_UP);
      assertThat(JobHealth.of("gold.status_test", Optional.of(progress), lags, Optional.empty(), Instant.now().plusSeconds(30),
          Duration.ofSeconds(10)).state()).isEqualTo(JobHealth.State.BEHIND);
    }

    // Spark writes a batch's offsets before it runs it: one without its commit is in flight.
    Path offsets = Path.of(java.net.URI.create(checkpoint + "/offsets"));
    Files.copy(offsets.resolve("0"), offsets.resolve("1"));
    assertThat(CheckpointProgress.read(checkpoint, spark.sparkContext().hadoopConfiguration()).orElseThrow()
        .batchInFlight()).isTrue();
  }

  @Test
  void aJobWhoseFirstBatchStillRunsIsCatchingUpUntilItHasTakenLongerThanStaleAfter() throws Exception {
    Path offsets = Files.createDirectories(warehouse.resolve("checkpoint/offsets"));
    Files.writeString(offsets.resolve("0"), "v1\n{}\n{\"shop.orders\":{\"0\":0}}\n");
    var progress = CheckpointProgress.read(warehouse.resolve("checkpoint").toUri().toString(),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    assertThat(progress).get().satisfies(p -> {
      assertThat(p.committedBatch()).isEqualTo(-1);
      assertThat(p.batchInFlight()).isTrue();
    });
    assertThat(JobHealth.of("j", progress, List.of(), Optional.empty(), Instant.now(), Duration.ofMinutes(10)).state())
        .isEqualTo(JobHealth.State.CATCHING_UP);
    assertThat(JobHealth.of("j", progress, List.of(), Optional.empty(), Instant.now().plusSeconds(60), Duration.ofSeconds(10)).state())
        .isEqualTo(JobHealth.State.BEHIND);
  }

  @Test
  void aJobThatNeverRanOrWhoseSourceCannotBeAskedIsRed() {
    var progress = Optional.of(new CheckpointProgress(3, Instant.now(), 3, List.of()));
    assertThat(JobHealth.of("j", Optional.empty(), List.of(), Optional.empty(), Instant.now(), Duration.ofMinutes(10)).state())
        .isEqualTo(JobHealth.State.NEVER_RAN).matches(s -> s.red);
    assertThat(JobHealth.of("j", progress, List.of(SourceLag.Lag.unknown("shop.orders", "records")), Optional.empty(), Instant.now(),
        Duration.ofMinutes(10)).state()).isEqualTo(JobHealth.State.UNKNOWN).matches(s -> s.red);
    // Records waiting with no arrival time known count from the job's last commit.
    var old = Optional.of(new CheckpointProgress(3, Instant.now().minusSeconds(3600), 3, List.of()));
    assertThat(JobHealth.of("j", old, List.of(new SourceLag.Lag("shop.orders", "records", 5, Optional.empty())),
        Optional.empty(), Instant.now(), Duration.ofMinutes(10)).state()).isEqualTo(JobHealth.State.BEHIND);
  }

  @Test
  void onlyFiringAlertsAreReportedWithTheirLabels() throws Exception {
    String answer = """
        {"status":"success","data":{"alerts":[
          {"labels":{"alertname":"ShoplakeKafkaLagGrowing","shoplake_job":"bronze.ingest","severity":"page"},
           "annotations":{},"state":"firing","activeAt":"2026-12-05T02:00:00Z","value":"1e+03"},
          {"labels":{"alertname":"ShoplakeJobStalled","shoplake_job":"gold.funnel_hourly"},
           "annotations":{},"state":"pending","activeAt":"2026-12-05T02:01:00Z","value":"1"}]}}""";
    assertThat(FiringAlerts.parse(answer)).containsExactly(new FiringAlerts.Alert("ShoplakeKafkaLagGrowing",
        Map.of("severity", "page", "shoplake_job", "bronze.ingest"), "2026-12-05T02:00:00Z"));
  }

  private static void land(JobContext ctx, long... values) {
    var rows = java.util.Arrays.stream(values).mapToObj(v -> RowFactory.create(v)).toList();
    ctx.spark().createDataFrame(rows, SCHEMA).coalesce(1).write().format("delta").mode("append")
        .save(ctx.tables().path(INPUT));
  }
}
