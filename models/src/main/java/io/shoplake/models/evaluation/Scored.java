package io.shoplake.models.evaluation;

import java.util.Comparator;

/** An item with a score; ranked by score, highest first, equal scores by item id. */
public record Scored(int item, double score) {
  /** Deterministic ranking: ties are broken by the smaller item id, so a metric never depends on luck. */
  public static final Comparator<Scored> RANKING =
      Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::item);
}
