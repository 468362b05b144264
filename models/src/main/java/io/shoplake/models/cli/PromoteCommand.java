package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.models.registry.PromotionGate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "promote", mixinStandardHelpOptions = true,
    description = {"Make a candidate the champion, if it passes the gate.",
        "It must beat the popularity baseline and the champion on shoplake.models.promotion.metric",
        "by shoplake.models.promotion.margin (relative); otherwise it is marked refused. Prints why",
        "either way. Exit 0 when promoted, 3 when refused."})
final class PromoteCommand implements Callable<Integer> {
  static final int REFUSED = 3;

  @Parameters(index = "0", arity = "0..1", paramLabel = "VERSION",
      description = "Model version (see 'models registry'); default: the newest candidate, as a scheduled"
          + " train-then-promote run needs.")
  Long version;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ModelsSession session = ModelsSession.open(configOptions.load());
    if (version == null) {
      version = new io.shoplake.models.registry.ModelRegistry(session.spark(), session.tables()).all().stream()
          .filter(e -> e.status().equals("candidate")).mapToLong(e -> e.version()).max()
          .orElseThrow(() -> new IllegalArgumentException("no candidate model to promote: run 'models train' first"));
    }
    PromotionGate.Decision d = session.lifecycle().promote(version);
    spec.commandLine().getOut().printf("v%d %s: %s%n", version, d.promote() ? "promoted" : "REFUSED", d.reason());
    spec.commandLine().getOut().flush();
    return d.promote() ? 0 : REFUSED;
  }
}
