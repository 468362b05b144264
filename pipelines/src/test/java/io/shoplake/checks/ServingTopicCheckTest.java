package io.shoplake.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ServingTopicCheckTest {
  @Test
  void aKeyEitherSideLacksOrHoldsOtherwiseIsADifferenceWithBothValues() {
    assertThat(ServingTopicCheck.differences(Map.of("1/a", 3, "1/b", 0, "2/a", 5), Map.of("1/a", 3, "1/b", 1, "3/a", 2),
        Function.identity()))
        .containsExactly("1/b topic 0 redis 1", "2/a topic 5 redis null", "3/a topic null redis 2");
    assertThat(ServingTopicCheck.differences(Map.of("1/a", 3), Map.of("1/a", 3), Function.identity())).isEmpty();
  }

  @Test
  void pricesAreComparedWithoutTheirVersionTagOnly() {
    String published = "{\"product_id\":1,\"recommended_price\":\"9.90\",\"version\":12}";
    String resynced = "{\"product_id\":1,\"recommended_price\":\"9.90\",\"version\":40}";
    String other = "{\"product_id\":1,\"recommended_price\":\"9.80\",\"version\":40}";
    assertThat(ServingTopicCheck.differences(Map.of("1", published), Map.of("1", resynced),
        ServingTopicCheck::withoutVersion)).isEmpty();
    assertThat(ServingTopicCheck.differences(Map.of("1", published), Map.of("1", other),
        ServingTopicCheck::withoutVersion)).containsExactly("1 topic " + published + " redis " + other);
  }
}
