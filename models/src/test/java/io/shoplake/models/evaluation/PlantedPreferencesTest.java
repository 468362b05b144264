package io.shoplake.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.models.ModelsSettings;
import io.shoplake.models.TestShop;
import io.shoplake.models.training.AlsParams;
import io.shoplake.models.training.ModelTraining;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The point of the model: on a shop whose customers have hidden category tastes (the simulator's),
 * implicit ALS trained on the past must find what they do in the held-out period clearly better
 * than the most-popular list.
 */
class PlantedPreferencesTest {
  @Test
  void alsBeatsPopularityOnTheHeldOutPeriodByHalfAgainAtLeast() {
    ModelsSettings settings = TestShop.settings(new AlsParams(10, 0.1, 5.0, 10));
    ModelTraining.Outcome o = ModelTraining.run(TestShop.events(settings),
        Split.byTime(settings.testPeriodMillis(), settings.halfLifeMillis()),
        Split.byTime(settings.search().validationPeriodMillis(), settings.halfLifeMillis()),
        List.of(new AlsParams(10, 0.1, 5.0, 10)), settings);

    assertThat(o.metrics().users()).as("test users").isGreaterThan(100);
    assertThat(o.baseline().precision()).as("baseline precision@10").isGreaterThan(0);
    assertThat(o.metrics().precision()).as("ALS precision@10 vs popularity %s", o.baseline())
        .isGreaterThanOrEqualTo(1.5 * o.baseline().precision());
    assertThat(o.metrics().ndcg()).isGreaterThan(o.baseline().ndcg());
    assertThat(o.metrics().coverage()).as("ALS shows more of the catalogue").isGreaterThan(o.baseline().coverage());
  }
}
