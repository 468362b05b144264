package io.shoplake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.ShoplakeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each job's settings are read and checked when the pipeline builds its jobs, not when a batch first needs them. */
class PipelineSettingsTest {
  @Test
  void aJobSettingOutOfRangeIsRefusedWhenTheJobsAreBuilt() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.inventory.low-stock-threshold", "0"));

    assertThatThrownBy(() -> Pipeline.jobs(config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shoplake.inventory.low-stock-threshold must be positive");
  }

  @Test
  void jobsAreBuiltWithoutTheServicesTheyReachOnlyWhenRunning() {
    // No Kafka, Redis or PII key configured: listing and exporting the graph must still work.
    ShoplakeConfig config = ShoplakeConfig.load("cluster", Map.of());

    assertThat(Pipeline.jobs(config)).extracting(j -> j.name()).contains("serving.availability", "silver.customers");
  }
}
