package io.shoplake.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.chaos.ChaosPlan.Fault;
import io.shoplake.devstack.Outage;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {
  private static final Duration RUN = Duration.ofMinutes(30);
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void aSeedDrawsTheSamePlanAndAnotherSeedAnother() {
    List<Outage> all = List.of(Outage.values());
    assertThat(ChaosPlan.draw(7, RUN, 50, all, OUTAGE)).isEqualTo(ChaosPlan.draw(7, RUN, 50, all, OUTAGE));
    assertThat(ChaosPlan.draw(8, RUN, 50, all, OUTAGE)).isNotEqualTo(ChaosPlan.draw(7, RUN, 50, all, OUTAGE));
  }

  @Test
  void everyKillAndEveryOutageIsInTheRunInTimeOrderHalfTheKillsAfterACommit() {
    ChaosPlan plan = ChaosPlan.draw(3, RUN, 50, List.of(Outage.values()), OUTAGE);
    assertThat(plan.count(Fault.Kind.KILL)).isEqualTo(25);
    assertThat(plan.count(Fault.Kind.KILL_AFTER_COMMIT)).isEqualTo(25);
    assertThat(plan.faults().stream().filter(f -> f.kind() == Fault.Kind.OUTAGE).map(Fault::outage))
        .containsExactlyInAnyOrder(Outage.values());
    assertThat(plan.faults()).isSortedAccordingTo(Comparator.comparing(Fault::at))
        .allSatisfy(f -> assertThat(f.at()).isBetween(Duration.ZERO, RUN));
  }

  @Test
  void outagesNeverOverlapAndEachIsOverBeforeTheRunEnds() {
    for (long seed = 0; seed < 200; seed++) {
      List<Fault> outages = ChaosPlan.draw(seed, Duration.ofMinutes(3), 3, List.of(Outage.values()),
          Duration.ofSeconds(10)).faults().stream().filter(f -> f.kind() == Fault.Kind.OUTAGE).toList();
      for (int i = 1; i < outages.size(); i++) {
        assertThat(outages.get(i).at()).as("seed " + seed)
            .isGreaterThanOrEqualTo(outages.get(i - 1).at().plus(Duration.ofSeconds(20)));
      }
      assertThat(outages.get(outages.size() - 1).at().plus(Duration.ofSeconds(10))).isLessThan(Duration.ofMinutes(3));
    }
  }

  @Test
  void aRunTooShortForItsOutagesIsRefused() {
    assertThatThrownBy(() -> ChaosPlan.draw(1, Duration.ofMinutes(2), 0, List.of(Outage.values()), OUTAGE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--outage-length");
  }
}
