package io.shoplake.pricing;

import static io.shoplake.pricing.PricingRule.CLAMPED_CEILING;
import static io.shoplake.pricing.PricingRule.CLAMPED_FLOOR;
import static io.shoplake.pricing.PricingRule.CLAMPED_MAX_STEP;
import static io.shoplake.pricing.PricingRule.CLAMPED_MIN_MARGIN;
import static io.shoplake.pricing.PricingRule.HIGH_DEMAND;
import static io.shoplake.pricing.PricingRule.LOW_CONVERSION;
import static io.shoplake.pricing.PricingRule.LOW_STOCK_COVER;
import static io.shoplake.pricing.PricingRule.NO_SIGNAL;
import static io.shoplake.pricing.PricingRule.OVERSTOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. Settings: min margin 10 %, max step 5 %, floor 0.8 × list, ceiling
 * 1.3 × list, 5 % per signal, conversion judged from 20 views (high ≥ 8 %, low < 1 %), cover
 * scarce below 7 days, overstock above 90.
 */
class PricingRuleTest {
  static final PricingSettings SETTINGS = new PricingSettings(86_400_000L, List.of("1h", "24h", "7d"), "7d",
      7 * 86_400_000L, 0.10, 0.05, 0.80, 1.30, 0.05, 20, 0.08, 0.01, 7, 90);

  private static PricingRule.Recommendation recommend(String list, String current, String cost, long views, long carts,
      long purchases, long available, double velocity) {
    return PricingRule.recommend(new PricingRule.Signals(new BigDecimal(list), new BigDecimal(current),
        cost == null ? null : new BigDecimal(cost), views, carts, purchases, available, velocity), SETTINGS);
  }

  private static void assertRecommendation(PricingRule.Recommendation r, String price, String changePct, String... reasons) {
    assertThat(r.price()).isEqualTo(new BigDecimal(price));
    assertThat(r.changePct()).isEqualTo(new BigDecimal(changePct));
    assertThat(r.reasons()).containsExactly(reasons);
  }

  @Test
  void productWithNoViewsAndNoSalesKeepsItsPrice() {
    var r = recommend("100.00", "100.00", "50.00", 0, 0, 0, 10, 0);
    assertRecommendation(r, "100.00", "0.00", NO_SIGNAL);
    assertThat(r.conversion()).isNull();
    assertThat(r.stockCoverDays()).as("stock on hand, nothing sold: cover without end").isNull();
  }

  @Test
  void highConversionWithNormalCoverRaisesByOneAdjustment() {
    // 10 purchases / 100 views = 10 % ≥ 8 %; cover 100 / 2 per day = 50 days, neither scarce nor overstock.
    var r = recommend("100.00", "100.00", "50.00", 100, 20, 10, 100, 2.0);
    assertRecommendation(r, "105.00", "5.00", HIGH_DEMAND);
    assertThat(r.conversion()).isEqualTo(0.1);
    assertThat(r.stockCoverDays()).isEqualTo(50.0);
  }

  @Test
  void zeroStockIsNoCoverAndTwoUpSignalsAreHeldToOneStep() {
    // +5 % (no cover) +5 % (demand) = 110.00, above 100 × 1.05.
    var r = recommend("100.00", "100.00", "50.00", 100, 20, 10, 0, 2.0);
    assertRecommendation(r, "105.00", "5.00", LOW_STOCK_COVER, HIGH_DEMAND, CLAMPED_MAX_STEP);
    assertThat(r.stockCoverDays()).isEqualTo(0.0);
  }

  @Test
  void overstockWithLowConversionLowersByAtMostOneStep() {
    // cover 1000 / (1/7 per day) = 7000 days; 1 / 200 = 0.5 % conversion; −10 % held to −5 %.
    var r = recommend("100.00", "100.00", "50.00", 200, 3, 1, 1000, 1.0 / 7);
    assertRecommendation(r, "95.00", "-5.00", OVERSTOCK, LOW_CONVERSION, CLAMPED_MAX_STEP);
  }

  @Test
  void conversionIsNotJudgedBelowTheMinimumViews() {
    // 0 of 10 views bought: not enough views to call it low; cover 50 / 10 = 5 days is scarce.
    var r = recommend("100.00", "100.00", "50.00", 10, 0, 0, 50, 10.0);
    assertRecommendation(r, "105.00", "5.00", LOW_STOCK_COVER);
  }

  @Test
  void priceStopsAtTheFloor() {
    // 82 − 10 % = 73.80, step keeps 77.90, floor 0.8 × 100 = 80.00; (80 − 82) / 82 = −2.44 %.
    var r = recommend("100.00", "82.00", "50.00", 200, 0, 1, 1000, 0);
    assertRecommendation(r, "80.00", "-2.44", OVERSTOCK, LOW_CONVERSION, CLAMPED_MAX_STEP, CLAMPED_FLOOR);
  }

  @Test
  void priceAtTheFloorStaysThere() {
    var r = recommend("100.00", "80.00", "50.00", 10, 0, 0, 1000, 0);
    assertRecommendation(r, "80.00", "0.00", OVERSTOCK, CLAMPED_FLOOR);
  }

  @Test
  void priceStopsAtTheCeiling() {
    // 128 + 5 % = 134.40, ceiling 1.3 × 100 = 130.00; (130 − 128) / 128 = 1.56 %.
    var r = recommend("100.00", "128.00", "50.00", 100, 20, 10, 100, 2.0);
    assertRecommendation(r, "130.00", "1.56", HIGH_DEMAND, CLAMPED_CEILING);
  }

  @Test
  void priceIsNeverBelowCostPlusTheMinimumMargin() {
    // 95 × 1.1 = 104.50.
    var r = recommend("100.00", "100.00", "95.00", 0, 0, 0, 10, 0);
    assertRecommendation(r, "104.50", "4.50", NO_SIGNAL, CLAMPED_MIN_MARGIN);
  }

  @Test
  void minimumMarginWinsOverTheCeilingAndTheStep() {
    // 130 × 1.1 = 143.00: above the ceiling (130) and the step (105); a loss is never recommended.
    var r = recommend("100.00", "100.00", "130.00", 100, 20, 10, 100, 2.0);
    assertRecommendation(r, "143.00", "43.00", HIGH_DEMAND, CLAMPED_MIN_MARGIN);
  }

  @Test
  void minimumMarginRoundsUpToTheCent() {
    // 33.33 × 1.1 = 36.663 → 36.67, never 36.66.
    var r = recommend("40.00", "40.00", "33.33", 200, 0, 1, 1000, 0);
    assertRecommendation(r, "38.00", "-5.00", OVERSTOCK, LOW_CONVERSION, CLAMPED_MAX_STEP);
    var low = recommend("40.00", "36.00", "33.33", 0, 0, 0, 5, 0);
    assertRecommendation(low, "36.67", "1.86", NO_SIGNAL, CLAMPED_MIN_MARGIN);
  }

  @Test
  void settingsRefuseASignalWindowThatIsNotComputed() {
    assertThatThrownBy(() -> new PricingSettings(1, List.of("1h"), "7d", 1, 0.1, 0.05, 0.8, 1.3, 0.05, 20, 0.08, 0.01,
        7, 90)).hasMessageContaining("signal-window");
  }
}
