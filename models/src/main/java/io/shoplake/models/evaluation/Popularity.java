package io.shoplake.models.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The most-popular baseline: items ranked by how many users interacted with them in training,
 * the same list for everyone. A model that does not beat it has learned nothing personal.
 */
public final class Popularity implements CandidateSource {
  private final List<Scored> ranked;

  private Popularity(List<Scored> ranked) {
    this.ranked = ranked;
  }

  /** @param interactions {@code user_id, item_id, ...} */
  public static Popularity fit(Dataset<Row> interactions) {
    List<Scored> ranked = interactions.groupBy("item_id").agg(countDistinct("user_id").as("users"))
        .orderBy(col("users").desc(), col("item_id")).collectAsList().stream()
        .map(r -> new Scored(r.getInt(0), r.getLong(1))).toList();
    return new Popularity(ranked);
  }

  @Override
  public Map<Integer, List<Scored>> candidates(List<Integer> users, int n) {
    List<Scored> top = ranked.subList(0, Math.min(n, ranked.size()));
    Map<Integer, List<Scored>> out = new HashMap<>();
    users.forEach(u -> out.put(u, top));
    return out;
  }
}
