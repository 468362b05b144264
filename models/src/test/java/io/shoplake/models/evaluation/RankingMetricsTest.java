package io.shoplake.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every expected value below is worked out by hand in the comment above it. */
class RankingMetricsTest {
  private static final double EPS = 1e-9;

  private static List<Scored> ranked(int... items) {
    List<Scored> out = new java.util.ArrayList<>();
    for (int i = 0; i < items.length; i++) out.add(new Scored(items[i], items.length - i));
    return out;
  }

  @Test
  void hitsAtRanksOneAndThreeOfThree() {
    // k=3, list [1,2,3], relevant {1,3,9}: hits at ranks 1 and 3.
    // precision 2/3; recall 2/3; DCG = 1 + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) + 1/2 = 2.1309...;
    // AP = (1/1 + 2/3) / min(3,3) = 0.5556
    MetricValues m = RankingMetrics.compute(Map.of(7, ranked(1, 2, 3)), Map.of(7, Set.of(1, 3, 9)), 3, 10);

    assertThat(m.precision()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(m.recall()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(m.ndcg()).isCloseTo(1.5 / (1 + 1 / (Math.log(3) / Math.log(2)) + 0.5), within(EPS));
    assertThat(m.map()).isCloseTo((1 + 2.0 / 3) / 3, within(EPS));
    assertThat(m.coverage()).isCloseTo(3 / 10.0, within(EPS));
  }

  @Test
  void usersAreAveragedAndUsersWithoutHeldOutItemsAreNotCounted() {
    // user 1: [5,6], relevant {6}, k=2: precision 1/2, recall 1, NDCG (1/log2 3)/1 = 0.6309, AP = (1/2)/1 = 0.5
    // user 2: [5,6], relevant {}: nothing to find, not evaluated
    // user 3: no recommendations, relevant {5}: all zero
    MetricValues m = RankingMetrics.compute(
        Map.of(1, ranked(5, 6), 2, ranked(5, 6)),
        Map.of(1, Set.of(6), 2, Set.of(), 3, Set.of(5)), 2, 4);

    assertThat(m.users()).isEqualTo(2);
    assertThat(m.precision()).isCloseTo((0.5 + 0) / 2, within(EPS));
    assertThat(m.recall()).isCloseTo((1 + 0) / 2.0, within(EPS));
    assertThat(m.ndcg()).isCloseTo((1 / (Math.log(3) / Math.log(2))) / 2, within(EPS));
    assertThat(m.map()).isCloseTo(0.5 / 2, within(EPS));
    // user 1's list counts for coverage (2 of 4); user 2 is not evaluated, so not shown
    assertThat(m.coverage()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void kLargerThanTheListCountsEmptySlotsAsMisses() {
    // k=5, list [4] (one candidate), relevant {4}: precision 1/5, recall 1,
    // NDCG 1 (ideal is also one hit at rank 1), AP = 1 / min(5, 1) = 1
    MetricValues m = RankingMetrics.compute(Map.of(1, ranked(4)), Map.of(1, Set.of(4)), 5, 100);

    assertThat(m.precision()).isCloseTo(0.2, within(EPS));
    assertThat(m.recall()).isCloseTo(1, within(EPS));
    assertThat(m.ndcg()).isCloseTo(1, within(EPS));
    assertThat(m.map()).isCloseTo(1, within(EPS));
  }

  @Test
  void equalScoresAreRankedBySmallerItemIdFirst() {
    // items 8 and 3 tie at 0.5 below item 9 (0.9): ranking [9, 3, 8]; with k=2 only 3 makes it.
    List<Scored> tied = List.of(new Scored(8, 0.5), new Scored(9, 0.9), new Scored(3, 0.5));
    assertThat(RankingMetrics.topK(tied, 3)).containsExactly(9, 3, 8);

    // relevant {8}: 8 is cut at k=2, so precision 0; relevant {3}: hit at rank 2, AP 1/2
    assertThat(RankingMetrics.compute(Map.of(1, tied), Map.of(1, Set.of(8)), 2, 3).precision()).isZero();
    MetricValues hit = RankingMetrics.compute(Map.of(1, tied), Map.of(1, Set.of(3)), 2, 3);
    assertThat(hit.precision()).isCloseTo(0.5, within(EPS));
    assertThat(hit.map()).isCloseTo(0.5, within(EPS));
    assertThat(hit.ndcg()).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(EPS));
  }

  @Test
  void aPerfectListScoresOneOnEveryRankingMetric() {
    MetricValues m = RankingMetrics.compute(Map.of(1, ranked(1, 2)), Map.of(1, Set.of(1, 2)), 2, 2);

    assertThat(List.of(m.precision(), m.recall(), m.ndcg(), m.map(), m.coverage()))
        .allSatisfy(v -> assertThat(v).isCloseTo(1.0, within(EPS)));
  }
}
