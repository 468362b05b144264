package io.shoplake.cli;

import io.shoplake.core.ShoplakeConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** What can be configured, and what a given environment resolves to. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Print the configuration reference or the resolved configuration.",
    subcommands = {ConfigCommand.Docs.class, ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: docs or show");
  }

  @Command(name = "docs", mixinStandardHelpOptions = true,
      description = "Print docs/configuration.md: every key, its default, environment variable and why.")
  static final class Docs implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(ConfigurationDoc.markdown(ShoplakeConfig.declaredKeys(), ShoplakeConfig.environmentVariables()));
      out.flush();
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print the resolved configuration of an environment, secrets masked, and where it came from.")
  static final class Show implements Callable<Integer> {
    @Mixin ConfigOptions configOptions;
    @CommandLine.Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(configOptions.load().describe());
      out.flush();
      return 0;
    }
  }
}
