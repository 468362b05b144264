package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SupervisionSettingsTest {
  @Test
  void theBackOffDoublesWithEachFailureInARowUpToItsCap() {
    SupervisionSettings policy = new SupervisionSettings(Duration.ofSeconds(5), Duration.ofMinutes(1), 0, Duration.ofSeconds(90));

    assertThat(java.util.stream.IntStream.rangeClosed(1, 6).mapToObj(policy::restartAfter).map(Optional::orElseThrow))
        .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
            Duration.ofMinutes(1), Duration.ofMinutes(1));
    assertThat(policy.restartAfter(10_000)).as("no overflow however long it fails").contains(Duration.ofMinutes(1));
  }

  @Test
  void theRunGivesUpAtTheConfiguredFailureAndNeverWhenItIsZero() {
    SupervisionSettings bounded = new SupervisionSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 3, Duration.ofSeconds(90));

    assertThat(bounded.restartAfter(2)).contains(Duration.ofSeconds(2));
    assertThat(bounded.restartAfter(3)).isEmpty();
    assertThat(new SupervisionSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 0, Duration.ofSeconds(90)).restartAfter(1_000)).isPresent();
  }

  @Test
  void theShippedDefaultsRestartWithinSecondsGiveUpAfterTenFailuresAndLetBatchesEndAtAStop() {
    SupervisionSettings defaults = SupervisionSettings.from(ShoplakeConfig.load("local", Map.of()));

    assertThat(defaults).isEqualTo(new SupervisionSettings(Duration.ofSeconds(5), Duration.ofMinutes(5), 10, Duration.ofSeconds(90)));
  }

  @Test
  void aBackOffBeyondItsCapOrANegativeLimitOrGraceIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new SupervisionSettings(Duration.ofMinutes(10), Duration.ofMinutes(5), 3, Duration.ofSeconds(90)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-restart-backoff");
    assertThatThrownBy(() -> new SupervisionSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), -1, Duration.ofSeconds(90)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shoplake.supervision.max-failures");
    assertThatThrownBy(() -> new SupervisionSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 3, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shoplake.supervision.stop-grace");
  }
}
