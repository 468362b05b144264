package io.shoplake.models.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ranking metrics at k, averaged over the users evaluated, plus catalogue coverage; named as
 * in the registry ({@code precision@10}, ...).
 */
public record MetricValues(int k, double precision, double recall, double ndcg, double map, double coverage,
    long users) {

  public double get(String metric) {
    return switch (metric) {
      case "precision" -> precision;
      case "recall" -> recall;
      case "ndcg" -> ndcg;
      case "map" -> map;
      case "coverage" -> coverage;
      default -> throw new IllegalArgumentException("unknown metric " + metric);
    };
  }

  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("precision@" + k, precision);
    m.put("recall@" + k, recall);
    m.put("ndcg@" + k, ndcg);
    m.put("map@" + k, map);
    m.put("coverage@" + k, coverage);
    return m;
  }
}
