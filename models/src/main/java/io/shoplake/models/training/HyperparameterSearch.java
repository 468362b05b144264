package io.shoplake.models.training;

import io.shoplake.models.evaluation.Evaluator;
import io.shoplake.models.evaluation.Split;
import java.util.List;
import org.apache.spark.ml.recommendation.ALSModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries candidates in order on a validation split carved out of the training part (by the same
 * rule as the test split, so the test period is never looked at), while the time budget lasts.
 */
public final class HyperparameterSearch {
  private static final Logger LOG = LoggerFactory.getLogger(HyperparameterSearch.class);

  /** The chosen parameters, how many candidates ran and how long the search took. */
  public record Result(AlsParams best, int tried, double bestScore, long millis) {}

  private HyperparameterSearch() {}

  /**
   * @param metric the metric to maximise (precision, recall, ndcg, map at k)
   */
  public static Result run(Split training, Split.Rule validationRule, List<AlsParams> candidates, String metric,
      int k, long budgetMillis, long seed) {
    long start = System.currentTimeMillis();
    if (candidates.isEmpty()) throw new IllegalArgumentException("no hyperparameter candidates configured");
    // One candidate: nothing to choose, so no validation run.
    if (candidates.size() == 1) return new Result(candidates.get(0), 1, Double.NaN, 0);
    Split validation = validationRule.apply(training.trainEvents());
    validation.train().persist();
    try {
      Evaluator evaluator = new Evaluator(validation, k);
      AlsParams best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      int tried = 0;
      for (AlsParams p : candidates) {
        if (tried > 0 && System.currentTimeMillis() - start > budgetMillis) {
          LOG.info("time budget of {} ms spent after {} of {} candidates", budgetMillis, tried, candidates.size());
          break;
        }
        ALSModel model = AlsTrainer.fit(validation.train(), p, seed);
        double score = evaluator.evaluate(AlsTrainer.candidates(model)).get(metric);
        tried++;
        LOG.info("candidate {}: {}@{} = {}", p, metric, k, String.format("%.4f", score));
        if (score > bestScore) {
          bestScore = score;
          best = p;
        }
      }
      return new Result(best, tried, bestScore, System.currentTimeMillis() - start);
    } finally {
      validation.train().unpersist();
    }
  }
}
