package io.shoplake.quality;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every job's batches reach quality.pipeline_events: the apply jobs' own rows, and the runner's for the rest. */
class BatchReportsTest {
  private static final TableId INPUT = new TableId("bronze", "report_test_input");
  private static final StructType INPUT_SCHEMA = new StructType().add("value", DataTypes.LongType, false);

  @TempDir Path warehouse;

  /**
   * A job reading {@link #INPUT}: negative values are quarantined when it quarantines, and a job
   * that keeps its own accounting appends a row saying every row was stale.
   */
  private record ReadingJob(String name, boolean quarantines, boolean accountsItself) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      JobDeclaration d = JobDeclaration.of(JobKind.CONTINUOUS).reads(INPUT);
      if (quarantines) d = d.writes(Quarantine.TABLE);
      if (accountsItself) d = d.writes(PipelineEvents.TABLE);
      return d;
    }

    @Override
    public StreamingQuery start(JobContext ctx) throws Exception {
      return ctx.startForEachBatch(ctx.readDeltaStream(INPUT), name, (batch, batchId) -> {
        // Spark counts a batch's input rows as its plans read them: a job reads what it is given.
        batch.persist();
        batch.count();
        if (quarantines) {
          Quarantine.append(ctx.tables(), batch.filter("value < 0").select(lit("t").as("topic"),
              lit(0).as("partition"), col("value").as("offset"), lit(null).cast("string").as("key"),
              lit(null).cast("binary").as("raw_value"), lit("NEGATIVE").as("error_class"),
              lit("value below zero").as("error_message")), name, null, batchId);
        }
        if (accountsItself) {
          long rows = batch.count();
          PipelineEvents.append(ctx.spark(), ctx.tables(), new PipelineEvents.BatchReport(name, batchId,
              new Timestamp(System.currentTimeMillis()), 1, rows, 0, rows, 0, 0, 0, Map.of(), Map.of(), null));
        }
        batch.unpersist();
      });
    }
  }

  private JobContext context(SparkSession spark, Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("shoplake.storage.warehouse", warehouse.toUri().toString());
    JobContext ctx = JobContext.create(spark, ShoplakeConfig.load("local", all));
    TableBootstrap.ensure(spark, ctx.tables(), List.of(TableDefinition.of(INPUT, INPUT_SCHEMA)));
    return ctx;
  }

  private static void land(JobContext ctx, long... values) {
    List<Row> rows = new ArrayList<>();
    for (long v : values) rows.add(org.apache.spark.sql.RowFactory.create(v));
    ctx.spark().createDataFrame(rows, INPUT_SCHEMA).coalesce(1).write().format("delta").mode("append")
        .save(ctx.tables().path(INPUT));
  }

  private static Dataset<Row> events(JobContext ctx) {
    return ctx.spark().read().format("delta").load(ctx.tables().path(Tables.PIPELINE_EVENTS));
  }

  @Test
  void everyJobsBatchesAreReportedOnceWithWhatTheyQuarantinedAndAJobsOwnAccountingIsLeftAlone() throws Exception {
    SparkSession spark = SharedSpark.get();
    JobContext ctx = context(spark, Map.of());
    var plain = new ReadingJob("gold.report_plain", false, false);
    var quarantining = new ReadingJob("bronze.report_quarantining", true, false);
    var accounting = new ReadingJob("silver.report_accounting", false, true);
    land(ctx, 1, 2, -3, 4, -5);
    try (JobRunner runner = new JobRunner(ctx, List.of(BatchReports.of(ctx)))) {
      runner.runToCompletion(List.of(plain, quarantining, accounting));
    }
    land(ctx, 6, -7);
    try (JobRunner runner = new JobRunner(ctx, List.of(BatchReports.of(ctx)))) {
      runner.runToCompletion(List.of(plain, quarantining, accounting));
    }

    assertRows(events(ctx).orderBy("job", "batch_id"),
        List.of("job", "batch_id", "rows_in", "applied", "stale", "quarantined", "to_json(quarantined_by_rule)"),
        List.of(
            row("bronze.report_quarantining", 0L, 5L, 3L, 0L, 2L, "{\"NEGATIVE\":2}"),
            row("bronze.report_quarantining", 1L, 2L, 1L, 0L, 1L, "{\"NEGATIVE\":1}"),
            row("gold.report_plain", 0L, 5L, 5L, 0L, 0L, "{}"),
            row("gold.report_plain", 1L, 2L, 2L, 0L, 0L, "{}"),
            row("silver.report_accounting", 0L, 5L, 0L, 5L, 0L, "{}"),
            row("silver.report_accounting", 1L, 2L, 0L, 2L, 0L, "{}")));
    assertThat(events(ctx).filter("job = 'gold.report_plain'").filter("duration_ms <= 0").count())
        .as("reports carry the batch's duration").isZero();
  }

  @Test
  void aContinuousRunAppendsItsReportsEveryIntervalWhileItRuns() throws Exception {
    SparkSession spark = SharedSpark.get();
    JobContext ctx = context(spark, Map.of("shoplake.trigger.mode", "processing-time", "shoplake.trigger.interval", "1s",
        "shoplake.trigger.report-interval", "500ms"));
    var plain = new ReadingJob("gold.report_continuous", false, false);
    land(ctx, 1, 2, 3);
    // The table's creation is version 0; the first append of reports, version 1. Watched on the
    // file system: reading the table each poll would compete with the run for the two cores.
    Path firstAppend = Path.of(java.net.URI.create(ctx.tables().path(Tables.PIPELINE_EVENTS)
        + "/_delta_log/00000000000000000001.json"));
    try (JobRunner runner = new JobRunner(ctx, List.of(BatchReports.of(ctx)))) {
      runner.startAll(List.of(plain));
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> Files.exists(firstAppend));
      assertThat(runner.running()).as("reported while running, not at the end").allMatch(StreamingQuery::isActive);
    }
    assertThat(events(ctx).filter("job = 'gold.report_continuous'").agg(org.apache.spark.sql.functions.sum("rows_in"))
        .first().getLong(0)).as("rows read, reported once").isEqualTo(3);
    assertThat(events(ctx).groupBy("batch_id").count().filter("count > 1").count()).as("a batch reported twice").isZero();
  }
}
