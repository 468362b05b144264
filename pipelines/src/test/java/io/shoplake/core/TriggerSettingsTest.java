package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerSettingsTest {
  @Test
  void theLatencyPathGetsAMinuteHeadStartByDefaultAndNoneIsZero() {
    assertThat(TriggerSettings.from(ShoplakeConfig.load("local", Map.of())).latencyPathHeadStartMs()).isEqualTo(60_000);
    assertThat(TriggerSettings.from(ShoplakeConfig.load("local", Map.of("shoplake.trigger.latency-path-head-start", "0s")))
        .latencyPathHeadStartMs()).isZero();
  }

  @Test
  void aNegativeHeadStartIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> TriggerSettings.from(ShoplakeConfig.load("local",
        Map.of("shoplake.trigger.latency-path-head-start", "-1s"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shoplake.trigger.latency-path-head-start");
  }
}
