package io.shoplake.pricing;

import io.shoplake.core.ShoplakeConfig;
import java.io.Serializable;
import java.util.List;

/** {@code shoplake.pricing}: windows and guardrails, fractions as decimals (0.05 = 5 %). */
public record PricingSettings(
    long cycleMillis,
    List<String> windows,
    String signalWindow,
    long velocityWindowMillis,
    double minMargin,
    double maxStep,
    double floor,
    double ceiling,
    double adjustment,
    long minViews,
    double highConversion,
    double lowConversion,
    double lowCoverDays,
    double overstockCoverDays) implements Serializable {

  public PricingSettings {
    if (!windows.contains(signalWindow)) {
      throw new IllegalArgumentException("shoplake.pricing.signal-window '" + signalWindow
          + "' must be one of shoplake.pricing.windows " + windows);
    }
    if (floor > ceiling) throw new IllegalArgumentException("shoplake.pricing.floor is above shoplake.pricing.ceiling");
  }

  public static PricingSettings from(ShoplakeConfig config) {
    String p = "shoplake.pricing.";
    return new PricingSettings(
        config.millis(p + "cycle"),
        config.strings(p + "windows"),
        config.string(p + "signal-window"),
        config.millis(p + "velocity-window"),
        config.number(p + "min-margin"),
        config.number(p + "max-step"),
        config.number(p + "floor"),
        config.number(p + "ceiling"),
        config.number(p + "adjustment"),
        config.integer(p + "min-views"),
        config.number(p + "high-conversion"),
        config.number(p + "low-conversion"),
        config.number(p + "low-cover-days"),
        config.number(p + "overstock-cover-days"));
  }

  /** Start of the cycle that {@code asOf} falls in. */
  public java.time.Instant cycleStart(java.time.Instant asOf) {
    return java.time.Instant.ofEpochMilli(Math.floorDiv(asOf.toEpochMilli(), cycleMillis) * cycleMillis);
  }

  /** Window length in milliseconds of a label such as {@code 1h}, {@code 24h}, {@code 7d}. */
  public static long windowMillis(String label) {
    return com.typesafe.config.ConfigFactory.parseString("w = " + label).getDuration("w").toMillis();
  }
}
