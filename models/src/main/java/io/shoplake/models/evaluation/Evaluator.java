package io.shoplake.models.evaluation;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores candidate sources on one split, the same way for each: the users evaluated are those
 * with training interactions and held-out items; items a user had in training are removed from
 * their candidates before the top k is taken.
 */
public final class Evaluator {
  private final Map<Integer, Set<Integer>> heldOut = new HashMap<>();
  private final Map<Integer, Set<Integer>> seen = new HashMap<>();
  private final long catalogueSize;
  private final int k;

  public Evaluator(Split split, int k) {
    this.k = k;
    Dataset<Row> trainUsers = split.train().select("user_id").distinct();
    for (Row r : split.test().join(trainUsers, "user_id").collectAsList()) {
      heldOut.computeIfAbsent(r.getInt(0), u -> new HashSet<>()).add(r.getInt(1));
    }
    for (Row r : split.train().select("user_id", "item_id")
        .join(split.test().select("user_id").distinct(), "user_id").collectAsList()) {
      seen.computeIfAbsent(r.getInt(0), u -> new HashSet<>()).add(r.getInt(1));
    }
    this.catalogueSize = split.train().select(col("item_id")).distinct().count();
  }

  public long users() {
    return heldOut.size();
  }

  public MetricValues evaluate(CandidateSource source) {
    List<Integer> users = new ArrayList<>(heldOut.keySet());
    int maxSeen = seen.values().stream().mapToInt(Set::size).max().orElse(0);
    // Enough candidates that k remain after removing what the user already has.
    int n = (int) Math.min(catalogueSize, (long) k + maxSeen);
    Map<Integer, List<Scored>> candidates = source.candidates(users, Math.max(n, 1));
    Map<Integer, List<Scored>> unseen = new HashMap<>();
    candidates.forEach((user, list) -> {
      Set<Integer> had = seen.getOrDefault(user, Set.of());
      unseen.put(user, list.stream().filter(s -> !had.contains(s.item())).toList());
    });
    return RankingMetrics.compute(unseen, heldOut, k, catalogueSize);
  }
}
