package io.shoplake.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The pricing rule: demand and stock signals ask for an adjustment of the current price, then
 * guardrails bound it. A plain function, so every case is testable without Spark.
 *
 * <p>Signals (each asks for ± {@code adjustment}, summed; none at all: {@code NO_SIGNAL}, the
 * price stays):
 * <ul>
 *   <li>{@code LOW_STOCK_COVER}: stock cover below {@code low-cover-days} (no stock at all: cover 0) → up
 *   <li>{@code OVERSTOCK}: stock on hand and cover above {@code overstock-cover-days}, or nothing sold → down
 *   <li>{@code HIGH_DEMAND}: at least {@code min-views} views and conversion ≥ {@code high-conversion} → up
 *   <li>{@code LOW_CONVERSION}: at least {@code min-views} views and conversion < {@code low-conversion} → down
 * </ul>
 *
 * <p>Guardrails, applied in this order so that the later wins: the step from the current price
 * is at most {@code max-step} ({@code CLAMPED_MAX_STEP}); the price stays within list ×
 * {@code floor} and list × {@code ceiling} ({@code CLAMPED_FLOOR}, {@code CLAMPED_CEILING});
 * it is never below cost × (1 + {@code min-margin}) ({@code CLAMPED_MIN_MARGIN}). Prices are in
 * cents: the target rounds half up, each bound rounds inwards (a lower bound up, an upper one
 * down), so no bound is crossed by rounding.
 */
public final class PricingRule {
  public static final String NO_SIGNAL = "NO_SIGNAL";
  public static final String HIGH_DEMAND = "HIGH_DEMAND";
  public static final String LOW_CONVERSION = "LOW_CONVERSION";
  public static final String LOW_STOCK_COVER = "LOW_STOCK_COVER";
  public static final String OVERSTOCK = "OVERSTOCK";
  public static final String CLAMPED_MAX_STEP = "CLAMPED_MAX_STEP";
  public static final String CLAMPED_FLOOR = "CLAMPED_FLOOR";
  public static final String CLAMPED_CEILING = "CLAMPED_CEILING";
  public static final String CLAMPED_MIN_MARGIN = "CLAMPED_MIN_MARGIN";

  /**
   * What the rule looks at for one product.
   *
   * @param currentPrice the price in effect: the last recommendation, else the list price
   * @param salesVelocity units sold per day over the velocity window
   */
  public record Signals(BigDecimal listPrice, BigDecimal currentPrice, BigDecimal cost, long views, long carts,
      long purchases, long available, double salesVelocity) {}

  /** @param stockCoverDays null when nothing sold and stock is on hand (cover without end) */
  public record Recommendation(BigDecimal price, BigDecimal changePct, List<String> reasons, Double conversion,
      Double stockCoverDays) {}

  private PricingRule() {}

  public static Recommendation recommend(Signals s, PricingSettings p) {
    List<String> reasons = new ArrayList<>();
    Double conversion = s.views() > 0 ? (double) s.purchases() / s.views() : null;
    Double cover = stockCover(s);
    double adjustment = adjustment(s, p, conversion, cover, reasons);

    BigDecimal current = s.currentPrice();
    BigDecimal price = round(current.multiply(BigDecimal.valueOf(1 + adjustment)), RoundingMode.HALF_UP);
    price = atLeast(price, round(current.multiply(BigDecimal.valueOf(1 - p.maxStep())), RoundingMode.CEILING),
        CLAMPED_MAX_STEP, reasons);
    price = atMost(price, round(current.multiply(BigDecimal.valueOf(1 + p.maxStep())), RoundingMode.FLOOR),
        CLAMPED_MAX_STEP, reasons);
    price = atLeast(price, round(s.listPrice().multiply(BigDecimal.valueOf(p.floor())), RoundingMode.CEILING),
        CLAMPED_FLOOR, reasons);
    price = atMost(price, round(s.listPrice().multiply(BigDecimal.valueOf(p.ceiling())), RoundingMode.FLOOR),
        CLAMPED_CEILING, reasons);
    if (s.cost() != null) {
      price = atLeast(price, round(s.cost().multiply(BigDecimal.valueOf(1 + p.minMargin())), RoundingMode.CEILING),
          CLAMPED_MIN_MARGIN, reasons);
    }
    BigDecimal changePct = price.subtract(current).multiply(BigDecimal.valueOf(100))
        .divide(current, 2, RoundingMode.HALF_UP);
    return new Recommendation(price, changePct, List.copyOf(reasons), conversion, cover);
  }

  /** Days of stock at the current velocity; none on hand is 0; stock that does not sell has no end (null). */
  private static Double stockCover(Signals s) {
    if (s.salesVelocity() > 0) return Math.max(s.available(), 0) / s.salesVelocity();
    if (s.available() <= 0) return 0.0;
    return null;
  }

  private static double adjustment(Signals s, PricingSettings p, Double conversion, Double cover, List<String> reasons) {
    if (s.views() == 0 && s.carts() == 0 && s.purchases() == 0) {
      reasons.add(NO_SIGNAL);
      return 0;
    }
    double adjustment = 0;
    if (cover != null && cover < p.lowCoverDays()) {
      reasons.add(LOW_STOCK_COVER);
      adjustment += p.adjustment();
    } else if (s.available() > 0 && (cover == null || cover > p.overstockCoverDays())) {
      reasons.add(OVERSTOCK);
      adjustment -= p.adjustment();
    }
    if (s.views() >= p.minViews() && conversion >= p.highConversion()) {
      reasons.add(HIGH_DEMAND);
      adjustment += p.adjustment();
    } else if (s.views() >= p.minViews() && conversion < p.lowConversion()) {
      reasons.add(LOW_CONVERSION);
      adjustment -= p.adjustment();
    }
    return adjustment;
  }

  private static BigDecimal round(BigDecimal value, RoundingMode mode) {
    return value.setScale(2, mode);
  }

  private static BigDecimal atLeast(BigDecimal price, BigDecimal bound, String reason, List<String> reasons) {
    if (price.compareTo(bound) >= 0) return price;
    reasons.add(reason);
    return bound;
  }

  private static BigDecimal atMost(BigDecimal price, BigDecimal bound, String reason, List<String> reasons) {
    if (price.compareTo(bound) <= 0) return price;
    reasons.add(reason);
    return bound;
  }
}
