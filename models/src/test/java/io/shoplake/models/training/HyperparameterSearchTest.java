package io.shoplake.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.models.ModelsSettings;
import io.shoplake.models.TestShop;
import io.shoplake.models.evaluation.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperparameterSearchTest {
  static final List<AlsParams> TWO = List.of(new AlsParams(4, 0.1, 5.0, 3), new AlsParams(8, 0.1, 5.0, 3));

  @Test
  void triesCandidatesOnTheValidationPeriodWhileTheBudgetLastsAndKeepsTheBest() {
    ModelsSettings settings = TestShop.settings(TWO.get(0));
    Split training = Split.byTime(settings.testPeriodMillis(), settings.halfLifeMillis()).apply(TestShop.events(settings));
    Split.Rule validation = Split.byTime(settings.search().validationPeriodMillis(), settings.halfLifeMillis());

    HyperparameterSearch.Result all = HyperparameterSearch.run(training, validation, TWO, "ndcg", 10, 600_000, 42);
    assertThat(all.tried()).isEqualTo(2);
    assertThat(all.best()).isIn(TWO);
    assertThat(all.bestScore()).isPositive();

    // A spent budget still runs the first candidate, so there is always a model.
    HyperparameterSearch.Result spent = HyperparameterSearch.run(training, validation, TWO, "ndcg", 10, 0, 42);
    assertThat(spent.tried()).isEqualTo(1);
    assertThat(spent.best()).isEqualTo(TWO.get(0));
  }
}
