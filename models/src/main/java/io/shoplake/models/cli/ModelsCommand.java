package io.shoplake.models.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Recommendation models: implicit ALS beside a most-popular baseline, a registry",
        "(gold.model_registry), a promotion gate, rollback and scoring.",
        "  train      train on silver orders (+ clickstream), evaluate on the latest period, register a candidate",
        "  evaluate   train and evaluate on a user-item-rating file (MovieLens u.data or CSV); prints metrics",
        "  promote    make a candidate the champion if it beats the champion and the baseline by the margin",
        "  rollback   the previous champion serves again",
        "  recommend  score with the champion: gold.recommendations, gold.similar_items [--publish]",
        "  registry   list gold.model_registry",
        "  benchmark  training time on generated interactions (default 100k and 1M)"},
    subcommands = {TrainCommand.class, EvaluateCommand.class, PromoteCommand.class, RollbackCommand.class,
        RecommendCommand.class, RegistryCommand.class, BenchmarkCommand.class})
final class ModelsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing models command");
  }
}
