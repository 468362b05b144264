package io.shoplake.models;

import io.shoplake.core.ShoplakeConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code shoplake.models} bound once; a missing key fails with its name (see ShoplakeConfig). */
public record ModelsSettings(
    Map<String, Double> weights,
    long halfLifeMillis,
    List<String> excludeOrderStatuses,
    Anonymous anonymous,
    long testPeriodMillis,
    int k,
    SearchSpace search,
    String promotionMetric,
    double promotionMargin,
    int topN,
    int similarN,
    String recommendationsTopic,
    String similarItemsTopic) {

  /** What to do with clickstream of visitors without an account. */
  public enum Anonymous { exclude, session }

  /** The hyperparameter candidates and how long the search may take. */
  public record SearchSpace(List<Integer> ranks, List<Double> regParams, List<Double> alphas, List<Integer> maxIters,
      long budgetMillis, long validationPeriodMillis, long seed) {
    public java.util.List<io.shoplake.models.training.AlsParams> grid() {
      return io.shoplake.models.training.AlsParams.grid(ranks, regParams, alphas, maxIters);
    }
  }

  public static final List<String> METRICS = List.of("precision", "recall", "ndcg", "map");

  public static ModelsSettings from(ShoplakeConfig config) {
    String p = "shoplake.models.";
    Map<String, Double> weights = new TreeMap<>();
    config.raw().getConfig(p + "interactions.weights").entrySet()
        .forEach(e -> weights.put(e.getKey(), ((Number) e.getValue().unwrapped()).doubleValue()));
    String metric = config.string(p + "promotion.metric");
    if (!METRICS.contains(metric)) {
      throw new IllegalArgumentException(p + "promotion.metric must be one of " + METRICS + ", got '" + metric + "'");
    }
    return new ModelsSettings(
        weights,
        config.millis(p + "interactions.half-life"),
        config.strings(p + "interactions.exclude-order-statuses"),
        Anonymous.valueOf(config.string(p + "interactions.anonymous")),
        config.millis(p + "split.test-period"),
        config.integer(p + "evaluation.k"),
        new SearchSpace(
            config.raw().getIntList(p + "training.ranks"),
            config.raw().getDoubleList(p + "training.reg-params"),
            config.raw().getDoubleList(p + "training.alphas"),
            config.raw().getIntList(p + "training.max-iters"),
            config.millis(p + "training.time-budget"),
            config.millis(p + "training.validation-period"),
            config.raw().getLong(p + "training.seed")),
        metric,
        config.number(p + "promotion.margin"),
        config.integer(p + "scoring.top-n"),
        config.integer(p + "scoring.similar-n"),
        config.string(p + "serving.recommendations-topic"),
        config.string(p + "serving.similar-items-topic"));
  }

  /** The metric the gate compares, as named in the registry, e.g. {@code ndcg@10}. */
  public String gateMetric() {
    return promotionMetric + "@" + k;
  }
}
