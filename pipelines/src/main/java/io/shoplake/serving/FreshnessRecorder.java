package io.shoplake.serving;

import io.shoplake.core.Percentiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Source commit → published latency samples, kept on the driver for progress output and the
 * demo summary. Bounded: keeps the latest samples only.
 */
public final class FreshnessRecorder {
  private static final int CAPACITY = 100_000;
  private static final List<Long> SAMPLES = new ArrayList<>();

  private FreshnessRecorder() {}

  public static synchronized void record(List<Long> millis) {
    SAMPLES.addAll(millis);
    if (SAMPLES.size() > CAPACITY) SAMPLES.subList(0, SAMPLES.size() - CAPACITY).clear();
  }

  public static synchronized List<Long> samples() {
    return new ArrayList<>(SAMPLES);
  }

  public static synchronized int count() {
    return SAMPLES.size();
  }

  /** Nearest-rank percentile in ms, or -1 without samples. */
  public static synchronized long percentile(double p) {
    if (SAMPLES.isEmpty()) return -1;
    List<Long> sorted = new ArrayList<>(SAMPLES);
    Collections.sort(sorted);
    return Percentiles.nearestRank(sorted, p);
  }

  public static synchronized void reset() {
    SAMPLES.clear();
  }
}
