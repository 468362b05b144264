package io.shoplake.models.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Recommendation models: implicit ALS beside a most-popular baseline, a registry",
        "(gold.model_registry), a promotion gate, rollback and scoring. Each command has --help."},
    subcommands = {TrainCommand.class, EvaluateCommand.class, PromoteCommand.class, RollbackCommand.class,
        RecommendCommand.class, RegistryCommand.class, BenchmarkCommand.class})
final class ModelsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing models command");
  }
}
