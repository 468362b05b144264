package io.shoplake.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
  private static RegistryEntry entry(long version, String status, double ndcg, double baseline, Long compared,
      Double championOnSplit) {
    return new RegistryEntry(version, status, "", "/m/v" + version, "als-implicit", Map.of(), Instant.EPOCH,
        Instant.EPOCH, "time", 1, 1, 1, 0, 1, Map.of("ndcg@10", ndcg), Map.of("ndcg@10", baseline), compared,
        championOnSplit == null ? null : Map.of("ndcg@10", championOnSplit), Instant.EPOCH, null, Instant.EPOCH);
  }

  @Test
  void firstModelNeedsOnlyToBeatTheBaselineByTheMargin() {
    assertThat(PromotionGate.decide(entry(1, "candidate", 0.30, 0.20, null, null), Optional.empty(), "ndcg@10", 0.1)
        .promote()).isTrue();
    // 0.21 is above 0.20 but not by 10 %
    PromotionGate.Decision d = PromotionGate.decide(entry(1, "candidate", 0.21, 0.20, null, null), Optional.empty(),
        "ndcg@10", 0.1);
    assertThat(d.promote()).isFalse();
    assertThat(d.reason()).contains("baseline").contains("0.2100").contains("10.0%");
  }

  @Test
  void championIsComparedOnTheCandidatesTestPeriodWhenMeasuredThere() {
    RegistryEntry champion = entry(1, "champion", 0.50, 0.20, null, null);
    // Its own figure (0.50) would refuse 0.40; on the candidate's period it scored 0.30.
    PromotionGate.Decision d = PromotionGate.decide(entry(2, "candidate", 0.40, 0.20, 1L, 0.30), Optional.of(champion),
        "ndcg@10", 0.1);
    assertThat(d.promote()).isTrue();
    assertThat(d.reason()).contains("same test period");

    PromotionGate.Decision worse = PromotionGate.decide(entry(3, "candidate", 0.32, 0.20, 1L, 0.30),
        Optional.of(champion), "ndcg@10", 0.1);
    assertThat(worse.promote()).isFalse();
    assertThat(worse.reason()).contains("champion v1");
  }

  @Test
  void championMeasuredAgainstAnotherModelFallsBackToItsOwnFigure() {
    RegistryEntry champion = entry(4, "champion", 0.50, 0.20, null, null);
    PromotionGate.Decision d = PromotionGate.decide(entry(5, "candidate", 0.40, 0.20, 1L, 0.30), Optional.of(champion),
        "ndcg@10", 0.1);
    assertThat(d.promote()).isFalse();
    assertThat(d.reason()).contains("own test period");
  }

  @Test
  void onlyCandidatesArePromoted() {
    assertThat(PromotionGate.decide(entry(1, "refused", 0.9, 0.1, null, null), Optional.empty(), "ndcg@10", 0)
        .reason()).contains("refused");
  }
}
