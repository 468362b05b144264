package io.shoplake.devstack;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Local services for Shoplake: {@code up}, {@code down}, {@code status} and the shop
 * {@code simulate}or. Started as a child JVM by the pipelines CLI and the tests:
 * {@code java -cp devstack/target/classes:$(cat devstack/target/classpath.txt) io.shoplake.devstack.DevstackMain up --state-dir DIR}.
 */
@Command(name = "devstack", mixinStandardHelpOptions = true,
        description = "Local Kafka, PostgreSQL+Debezium, Redis and S3 for Shoplake, and a shop simulator.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, SimulateCommand.class, IncidentsCommand.class,
            CommandLine.HelpCommand.class})
public final class DevstackMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new DevstackMain());
        // A failed start explains itself in one message (what is missing, what to run); the stack
        // trace is still there for the unexpected cases, after it.
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("devstack " + cmd.getCommandName() + " failed: " + ex.getMessage());
            ex.printStackTrace(cmd.getErr());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
