package io.shoplake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LagTrendTest {
  @Test
  void aLagRisingAtEachOfTheLastTwoMinutesByMoreThanTheToleranceGrows() {
    assertThat(LagTrend.grows(List.of(100L, 900L, 5_000L, 12_000L), 2, 2_000)).isTrue();
  }

  @Test
  void aLagThatGoesUpAndDownWithItsBatchesIsBounded() {
    assertThat(LagTrend.grows(List.of(100L, 3_000L, 800L, 2_900L), 2, 2_000)).isFalse();
  }

  @Test
  void aRiseWithinTheToleranceIsNoise() {
    assertThat(LagTrend.grows(List.of(100L, 300L, 600L), 2, 2_000)).isFalse();
  }

  @Test
  void fewerSamplesThanMinutesDecideNothing() {
    assertThat(LagTrend.grows(List.of(100L, 90_000L), 2, 0)).isFalse();
  }
}
