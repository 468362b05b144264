package io.shoplake.cli;

import io.shoplake.core.JobKeptFailing;
import io.shoplake.core.MissingConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code shoplake}: the one launcher. Each subcommand documents itself with --help. */
@Command(name = "shoplake", mixinStandardHelpOptions = true, version = "shoplake 0.1.0",
    description = "Streaming lakehouse for e-commerce: CDC and clickstream to Delta, serving to Kafka and Redis.",
    subcommands = {RunCommand.class, CheckCommand.class, QueryCommand.class, JobsCommand.class, ConfigCommand.class,
        SqlServerCommand.class, MaintainCommand.class, StatusCommand.class, PrivacyCommand.class})
public final class ShoplakeCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs a command line and returns its exit code; usage errors exit 2, failures 1, a continuous
   * run that gave up on a job that kept failing {@link JobKeptFailing#EXIT_CODE}.
   */
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
    cli.setExecutionExceptionHandler(ShoplakeCli::exitCode);
    return cli.execute(args);
  }

  /** The exit code of a command that threw {@code e}, after saying why on its error stream. */
  static int exitCode(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) throws Exception {
    if (e instanceof CommandLine.ParameterException pe) {
      commandLine.getErr().println("shoplake: " + pe.getMessage());
      pe.getCommandLine().usage(commandLine.getErr());
      return 2;
    }
    if (e instanceof JobKeptFailing gaveUp) {
      commandLine.getErr().println("shoplake: " + gaveUp.getMessage());
      return JobKeptFailing.EXIT_CODE;
    }
    Throwable cause = e;
    while (cause.getCause() != null && !(cause instanceof MissingConfigException)) cause = cause.getCause();
    if (cause instanceof MissingConfigException || e instanceof IllegalArgumentException) {
      commandLine.getErr().println("shoplake: " + (cause instanceof MissingConfigException ? cause : e).getMessage());
      return 1;
    }
    throw e;
  }
}
