package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.Tables;
import io.shoplake.ingest.BronzeIngestJob;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After the {@link SharedPipelineRun}, {@code quality.pipeline_events} says what every job of the
 * pipeline did, and ingest's rows add up: what it read is what bronze and the quarantine hold.
 */
@Order(1)
class PipelineEventsIT {
  @Test
  void everyJobReportsItsBatchesAndIngestsReportsAddUpToBronzeAndQuarantine() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    SparkSession spark = ItSpark.get(Devstack.get());
    Tables tables = Tables.from(run.config());
    Dataset<Row> events = spark.read().format("delta").load(tables.path(Tables.PIPELINE_EVENTS));

    Set<String> reporting = events.select("job").distinct().collectAsList().stream().map(r -> r.getString(0))
        .collect(Collectors.toSet());
    List<String> jobs = Pipeline.jobs(run.config()).stream().map(Job::name).toList();
    assertThat(reporting).as("jobs with batches in " + Tables.PIPELINE_EVENTS).containsAll(jobs);
    assertThat(events.filter("duration_ms < 0 OR rows_in < 0").count()).as("negative durations or rows").isZero();
    assertThat(events.groupBy("job", "batch_id").count().filter("count > 1").count())
        .as("batches reported twice").isZero();

    Row ingest = events.filter("job = '" + BronzeIngestJob.NAME + "'")
        .selectExpr("sum(rows_in)", "sum(applied)", "sum(quarantined)").first();
    long bronze = 0;
    for (var table : tables.bronzeTables()) bronze += spark.read().format("delta").load(tables.path(table)).count();
    long quarantined = spark.read().format("delta").load(tables.path(Tables.QUARANTINE))
        .filter("stage = '" + BronzeIngestJob.NAME + "'").count();
    assertThat(quarantined).as("the run's malformed record, quarantined at ingest").isPositive();
    assertThat(List.of(ingest.getLong(0), ingest.getLong(1), ingest.getLong(2)))
        .as("ingest's rows in, applied and quarantined").containsExactly(bronze + quarantined, bronze, quarantined);
  }
}
