package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "registry", mixinStandardHelpOptions = true, description = "List gold.model_registry, oldest first.")
final class RegistryCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ModelsSession s = ModelsSession.open(configOptions.load());
    String metric = s.settings().gateMetric();
    var out = spec.commandLine().getOut();
    out.printf("%-8s %-12s %10s %10s  %s%n", "version", "status", metric, "baseline", "reason");
    for (var e : s.lifecycle().registry().all()) {
      out.printf(java.util.Locale.ROOT, "v%-7d %-12s %10.4f %10.4f  %s%n", e.version(), e.status(),
          e.metrics().getOrDefault(metric, Double.NaN), e.baselineMetrics().getOrDefault(metric, Double.NaN),
          e.statusReason());
    }
    out.flush();
    return 0;
  }
}
