package io.shoplake.core;

import java.util.List;

/** Percentiles of measured samples, for the figures benchmarks and the demo print. */
public final class Percentiles {
  private Percentiles() {}

  /** Nearest-rank percentile {@code p} (0-100] of {@code sorted}, which must not be empty. */
  public static <T> T nearestRank(List<T> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
