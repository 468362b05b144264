package io.shoplake.models.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a candidate may replace the champion: it must beat the popularity baseline
 * and the champion on the chosen metric by a relative margin. The champion's figure is the one
 * measured on the candidate's own test period when the candidate was trained against this
 * champion; otherwise (the champion changed since) the champion's own figure, and the reason
 * says so.
 */
public final class PromotionGate {
  /** The verdict and a sentence a person can act on. */
  public record Decision(boolean promote, String reason) {}

  private PromotionGate() {}

  public static Decision decide(RegistryEntry candidate, Optional<RegistryEntry> champion, String metric,
      double margin) {
    if (!candidate.status().equals(RegistryEntry.CANDIDATE)) {
      return new Decision(false, "v" + candidate.version() + " is " + candidate.status() + ", only a candidate can be promoted");
    }
    Double score = candidate.metrics().get(metric);
    Double baseline = candidate.baselineMetrics().get(metric);
    if (score == null || baseline == null) {
      return new Decision(false, "v" + candidate.version() + " has no " + metric + " (trained with another k?)");
    }
    String pct = String.format(Locale.ROOT, "%.1f%%", margin * 100);
    if (!(score > baseline * (1 + margin))) {
      return new Decision(false, String.format(Locale.ROOT,
          "%s %.4f does not beat the popularity baseline (%.4f) by %s", metric, score, baseline, pct));
    }
    if (champion.isPresent()) {
      RegistryEntry current = champion.get();
      boolean sameSplit = Long.valueOf(current.version()).equals(candidate.comparedChampion())
          && candidate.championMetrics() != null && candidate.championMetrics().containsKey(metric);
      Double championScore = sameSplit ? candidate.championMetrics().get(metric) : current.metrics().get(metric);
      String where = sameSplit ? "on the same test period" : "on its own test period";
      if (championScore != null && !(score > championScore * (1 + margin))) {
        return new Decision(false, String.format(Locale.ROOT,
            "%s %.4f does not beat the champion v%d (%.4f %s) by %s", metric, score, current.version(), championScore,
            where, pct));
      }
      return new Decision(true, String.format(Locale.ROOT, "%s %.4f beats the baseline (%.4f) and the champion v%d (%s %s) by %s",
          metric, score, baseline, current.version(), championScore == null ? "n/a" : String.format(Locale.ROOT, "%.4f", championScore),
          where, pct));
    }
    return new Decision(true, String.format(Locale.ROOT,
        "%s %.4f beats the popularity baseline (%.4f) by %s; there was no champion", metric, score, baseline, pct));
  }
}
