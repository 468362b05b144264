package io.shoplake.cli;

import io.shoplake.core.MissingConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shoplake}: the one launcher. Each subcommand documents itself with --help. */
@Command(name = "shoplake", mixinStandardHelpOptions = true, version = "shoplake 0.1.0",
    description = "Streaming lakehouse for e-commerce: CDC and clickstream to Delta, serving to Kafka and Redis.",
    subcommands = {RunCommand.class, CheckCommand.class, QueryCommand.class, JobsCommand.class, ConfigCommand.class,
        SqlServerCommand.class, MaintainCommand.class, StatusCommand.class})
public final class ShoplakeCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code; usage errors exit 2, failures 1. */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ShoplakeCli());
    for (CommandProvider provider : java.util.ServiceLoader.load(CommandProvider.class)) {
      provider.commands().forEach(cli::addSubcommand);
    }
    cli.addSubcommand("help", new CommandLine.HelpCommand());
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CommandLine.ParameterException pe) {
        commandLine.getErr().println("shoplake: " + pe.getMessage());
        pe.getCommandLine().usage(commandLine.getErr());
        return 2;
      }
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof MissingConfigException)) cause = cause.getCause();
      if (cause instanceof MissingConfigException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println("shoplake: " + (cause instanceof MissingConfigException ? cause : e).getMessage());
        return 1;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
