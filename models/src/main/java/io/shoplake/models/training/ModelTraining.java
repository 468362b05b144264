package io.shoplake.models.training;

import io.shoplake.models.ModelsSettings;
import io.shoplake.models.evaluation.Evaluator;
import io.shoplake.models.evaluation.MetricValues;
import io.shoplake.models.evaluation.Popularity;
import io.shoplake.models.evaluation.Split;
import java.util.List;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split, search, fit, and evaluate beside the popularity baseline on the same split: the one
 * training procedure behind {@code models train}, {@code models evaluate} and the tests.
 */
public final class ModelTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTraining.class);

  /** A fitted model and everything measured about it. */
  public record Outcome(ALSModel model, HyperparameterSearch.Result search, long fitMillis, MetricValues metrics,
      MetricValues baseline, Split split, long trainInteractions, Evaluator evaluator) {
    public AlsParams params() {
      return search.best();
    }
  }

  private ModelTraining() {}

  /**
   * @param events {@code user_id, item_id, weight, event_ts}
   * @param rule the evaluation split; {@code validationRule} splits its training part for the search
   */
  public static Outcome run(Dataset<Row> events, Split.Rule rule, Split.Rule validationRule, List<AlsParams> grid,
      ModelsSettings settings) {
    Split split = rule.apply(events.persist());
    split.train().persist();
    split.test().persist();
    long trainInteractions = split.train().count();
    if (trainInteractions == 0) {
      // E.g. a time split of a file without timestamps: every event sits at the same instant.
      throw new IllegalArgumentException("no training interactions before the test part (" + split.description() + ")");
    }
    var search = HyperparameterSearch.run(split, validationRule, grid, settings.promotionMetric(), settings.k(),
        settings.search().budgetMillis(), settings.search().seed());
    long start = System.currentTimeMillis();
    ALSModel model = AlsTrainer.fit(split.train(), search.best(), settings.search().seed());
    long fitMillis = System.currentTimeMillis() - start;
    Evaluator evaluator = new Evaluator(split, settings.k());
    MetricValues metrics = evaluator.evaluate(AlsTrainer.candidates(model));
    MetricValues baseline = evaluator.evaluate(Popularity.fit(split.train()));
    LOG.info("{} ({}): model {} / baseline {}", search.best(), split.description(), metrics, baseline);
    return new Outcome(model, search, fitMillis, metrics, baseline, split, trainInteractions, evaluator);
  }
}
