package io.shoplake.models.cli;

import io.shoplake.models.evaluation.MetricValues;
import io.shoplake.models.registry.RegistryEntry;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Tables a person reads. */
final class Printing {
  private Printing() {}

  static void metrics(PrintWriter out, MetricValues model, MetricValues baseline) {
    table(out, model.asMap(), baseline.asMap(), "ALS", "popularity");
    out.printf("users evaluated: %d%n", model.users());
    out.flush();
  }

  static void entry(PrintWriter out, RegistryEntry e) {
    out.printf("model v%d: %s (%s)%n  params %s, %s%n  window %s .. %s, %d training interactions, %d test users,"
            + " fit %d ms, search %d ms (%d candidates)%n  path %s%n",
        e.version(), e.status(), e.statusReason(), e.params(), e.split(), e.windowStart(), e.windowEnd(),
        e.trainInteractions(), e.testUsers(), e.trainingMillis(), e.searchMillis(), e.candidatesTried(), e.modelPath());
    table(out, e.metrics(), e.baselineMetrics(), "v" + e.version(), "popularity");
    if (e.championMetrics() != null) {
      table(out, e.metrics(), e.championMetrics(), "v" + e.version(), "champion v" + e.comparedChampion());
    }
    out.flush();
  }

  private static void table(PrintWriter out, Map<String, Double> a, Map<String, Double> b, String aName, String bName) {
    out.printf(Locale.ROOT, "  %-14s %12s %14s %8s%n", "metric", aName, bName, "ratio");
    a.forEach((metric, value) -> {
      double other = b.getOrDefault(metric, Double.NaN);
      out.printf(Locale.ROOT, "  %-14s %12.4f %14.4f %8s%n", metric, value, other,
          other > 0 ? String.format(Locale.ROOT, "%.2fx", value / other) : "-");
    });
  }
}
