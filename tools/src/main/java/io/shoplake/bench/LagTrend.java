package io.shoplake.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Whether the pipeline keeps up: ingest lag (records in Kafka bronze has not read) sampled once
 * a minute. A pipeline that keeps up has a lag that goes up and down with its batches; one that
 * does not has a lag that rises minute after minute.
 */
final class LagTrend {
  private LagTrend() {}

  /**
   * True when the lag rose at each of the last {@code minutes} samples and by more than
   * {@code tolerance} records in all: more than a batch's worth of noise.
   */
  static boolean grows(List<Long> lagPerMinute, int minutes, long tolerance) {
    if (lagPerMinute.size() < minutes + 1) return false;
    int last = lagPerMinute.size() - 1;
    for (int i = last - minutes + 1; i <= last; i++) {
      if (lagPerMinute.get(i) <= lagPerMinute.get(i - 1)) return false;
    }
    return lagPerMinute.get(last) - lagPerMinute.get(last - minutes) > tolerance;
  }

  /**
   * Over a long window, where two rises in a row happen by chance to a lag that goes up and down
   * with its batches: true when the median of the last third of the samples exceeds the median
   * of the first third by more than {@code tolerance}. Under six samples, as {@link #grows}.
   */
  static boolean growsOver(List<Long> lagPerMinute, long tolerance) {
    if (lagPerMinute.size() < 6) return grows(lagPerMinute, 2, tolerance);
    int third = lagPerMinute.size() / 3;
    return median(lagPerMinute.subList(lagPerMinute.size() - third, lagPerMinute.size()))
        - median(lagPerMinute.subList(0, third)) > tolerance;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
