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

  @Test
  void overALongWindowTwoLateRisesOfAnOscillatingLagAreNotGrowth() {
    // A 30-minute run at 200 events/s: the lag swung between 1k and 9k and ended on two rises.
    List<Long> lags = List.of(6_872L, 1_967L, 5_832L, 3_768L, 8_595L, 6_289L, 3_558L, 1_563L, 3_250L, 2_987L,
        1_380L, 4_285L, 2_828L, 2_215L, 4_191L, 2_422L, 1_561L, 1_904L, 4_341L, 2_224L, 3_505L, 996L, 5_580L,
        3_226L, 1_749L, 2_169L, 1_606L, 1_635L, 1_291L, 5_215L, 5_243L);
    assertThat(LagTrend.grows(lags, 2, 2_020)).isTrue();
    assertThat(LagTrend.growsOver(lags, 2_020)).isFalse();
  }

  @Test
  void overALongWindowALagThatKeepsClimbingGrows() {
    List<Long> lags = List.of(1_000L, 3_000L, 2_000L, 6_000L, 5_000L, 9_000L, 8_000L, 12_000L, 11_000L);
    assertThat(LagTrend.growsOver(lags, 2_000)).isTrue();
  }
}
