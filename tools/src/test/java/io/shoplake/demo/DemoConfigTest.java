package io.shoplake.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TriggerSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {
  @Test
  void theDemoLetsEveryJobTakeItsBatchAtOnce() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());

    assertThat(TriggerSettings.from(config).backgroundBatches()).as("a production run takes turns").isEqualTo(1);
    assertThat(TriggerSettings.from(Demo.everyJobAtOnce(config, Map.of())).backgroundBatches())
        .isGreaterThan(io.shoplake.Pipeline.jobs(config).size());
  }

  @Test
  void aTurnCountGivenOnTheCommandLineIsKept() {
    Map<String, String> overrides = Map.of("shoplake.trigger.background-batches", "1");
    ShoplakeConfig config = ShoplakeConfig.load("local", overrides);

    assertThat(TriggerSettings.from(Demo.everyJobAtOnce(config, overrides)).backgroundBatches()).isEqualTo(1);
  }
}
