package io.shoplake.models.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One point of the hyperparameter space of implicit ALS. */
public record AlsParams(int rank, double regParam, double alpha, int maxIter) {

  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("rank", Integer.toString(rank));
    m.put("regParam", Double.toString(regParam));
    m.put("alpha", Double.toString(alpha));
    m.put("maxIter", Integer.toString(maxIter));
    return m;
  }

  /** Every combination, smaller ranks and fewer iterations first (the cheap ones run first under a budget). */
  public static List<AlsParams> grid(List<Integer> ranks, List<Double> regParams, List<Double> alphas,
      List<Integer> maxIters) {
    List<AlsParams> all = new java.util.ArrayList<>();
    for (int it : maxIters.stream().sorted().toList()) {
      for (int rank : ranks.stream().sorted().toList()) {
        for (double reg : regParams) {
          for (double alpha : alphas) all.add(new AlsParams(rank, reg, alpha, it));
        }
      }
    }
    return all;
  }

  @Override
  public String toString() {
    return "rank=" + rank + " regParam=" + regParam + " alpha=" + alpha + " maxIter=" + maxIter;
  }
}
