package io.shoplake.models.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * precision@k, recall@k, NDCG@k (binary relevance), MAP@k and catalogue coverage, from each
 * user's ranked list and held-out items.
 *
 * <ul>
 *   <li>Users without held-out items are not evaluated: there is nothing to find.
 *   <li>A user with fewer than k recommendations still divides precision by k: an empty slot
 *       is a miss.
 *   <li>Equal scores are ranked by item id ({@link Scored#RANKING}).
 *   <li>AP@k divides by min(k, held-out items), so a perfect list scores 1.
 * </ul>
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * @param recommendations per user, candidates in any order (the top k by score count)
   * @param heldOut per user, the items to find
   * @param catalogueSize items that could have been recommended, for coverage
   */
  public static MetricValues compute(Map<Integer, List<Scored>> recommendations, Map<Integer, Set<Integer>> heldOut,
      int k, long catalogueSize) {
    if (k <= 0) throw new IllegalArgumentException("k must be positive, got " + k);
    double precision = 0, recall = 0, ndcg = 0, map = 0;
    long users = 0;
    Set<Integer> shown = new HashSet<>();
    for (Map.Entry<Integer, Set<Integer>> e : heldOut.entrySet()) {
      Set<Integer> relevant = e.getValue();
      if (relevant.isEmpty()) continue;
      users++;
      List<Integer> top = topK(recommendations.getOrDefault(e.getKey(), List.of()), k);
      shown.addAll(top);
      int hits = 0;
      double dcg = 0, apSum = 0;
      for (int i = 0; i < top.size(); i++) {
        if (relevant.contains(top.get(i))) {
          hits++;
          dcg += 1 / log2(i + 2);
          apSum += hits / (double) (i + 1);
        }
      }
      double idcg = 0;
      for (int i = 0; i < Math.min(k, relevant.size()); i++) idcg += 1 / log2(i + 2);
      precision += hits / (double) k;
      recall += hits / (double) relevant.size();
      ndcg += dcg / idcg;
      map += apSum / Math.min(k, relevant.size());
    }
    if (users == 0) return new MetricValues(k, 0, 0, 0, 0, 0, 0);
    double coverage = catalogueSize == 0 ? 0 : shown.size() / (double) catalogueSize;
    return new MetricValues(k, precision / users, recall / users, ndcg / users, map / users, coverage, users);
  }

  /** The k best items of a candidate list, best first. */
  public static List<Integer> topK(List<Scored> candidates, int k) {
    List<Scored> sorted = new ArrayList<>(candidates);
    sorted.sort(Scored.RANKING);
    return sorted.stream().limit(k).map(Scored::item).toList();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
