package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
}
