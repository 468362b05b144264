package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;

class JobContextTest {
  private static JobContext context(String mode) {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.trigger.mode", mode));
    return JobContext.create(null, config);
  }

  @Test
  void continuousJobsUseTheirOwnIntervalWhenConfigured() {
    JobContext continuous = context("processing-time");

    assertThat(continuous.triggerFor("silver.customers")).isEqualTo(Trigger.ProcessingTime(10_000));
    assertThat(continuous.triggerFor("gold.inventory_availability")).isEqualTo(Trigger.ProcessingTime(1_000));
  }

  @Test
  void theAvailabilityPathsBronzeHopRunsBackToBackAndItsLakehousePublisherLeavesGoldTheCores() {
    JobContext continuous = context("processing-time");

    assertThat(continuous.triggerFor("bronze.ingest")).isEqualTo(Trigger.ProcessingTime(250));
    assertThat(continuous.triggerFor("serving.availability")).isEqualTo(Trigger.ProcessingTime(5_000));
  }

  @Test
  void scheduledRunsProcessEverythingThereIsWhateverTheJob() {
    JobContext scheduled = context("available-now");

    assertThat(scheduled.triggerFor("silver.customers")).isEqualTo(Trigger.AvailableNow());
  }

  @Test
  void aContinuousRunHoldsBackOnlyTheJobsOffTheAvailabilityPath() {
    JobContext continuous = context("processing-time");
    VoidFunction2<Dataset<Row>, Long> writer = (batch, batchId) -> {};

    // Every job's batches pass the gate, which a stop closes; only those off the path wait for a turn there.
    assertThat(continuous.admitted("silver.orders", writer)).isNotSameAs(writer);
    assertThat(continuous.background().onLatencyPath("bronze.ingest")).isTrue();
    assertThat(continuous.background().onLatencyPath("gold.inventory_availability")).isTrue();
    assertThat(continuous.background().onLatencyPath("serving.availability")).isTrue();
    assertThat(continuous.background().onLatencyPath("silver.orders")).isFalse();
    assertThat(continuous.background().available()).isEqualTo(1);
  }

  @Test
  void aScheduledRunHoldsNoBatchBack() {
    JobContext scheduled = context("available-now");
    VoidFunction2<Dataset<Row>, Long> writer = (batch, batchId) -> {};

    assertThat(scheduled.admitted("silver.orders", writer)).isSameAs(writer);
  }
}
