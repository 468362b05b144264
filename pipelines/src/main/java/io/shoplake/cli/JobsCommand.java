package io.shoplake.cli;

import io.shoplake.Pipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Schedulers check their task lists against this, so a DAG never names a job or command that is not there. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = {"Print the name of every job `run` accepts, one per line, in data-flow order.",
        "With --commands: every other command line a scheduler may launch (e.g. `check reconcile`)."})
final class JobsCommand implements Callable<Integer> {
  @Option(names = "--commands", description = "List commands with their actions instead of jobs.")
  boolean commands;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> lines = commands ? commandLines(spec.root(), "") : Pipeline.names(configOptions.load());
    lines.forEach(out::println);
    out.flush();
    return 0;
  }

  /** Leaf commands, each followed by every value of its first positional parameter (its action). */
  static List<String> commandLines(CommandSpec command, String prefix) {
    List<String> lines = new ArrayList<>();
    for (var sub : command.subcommands().entrySet()) {
      CommandSpec child = sub.getValue().getCommandSpec();
      String path = prefix + sub.getKey();
      if (!child.subcommands().isEmpty()) {
        lines.addAll(commandLines(child, path + " "));
        continue;
      }
      Iterable<String> actions = child.positionalParameters().isEmpty() ? null
          : child.positionalParameters().get(0).completionCandidates();
      if (actions == null) {
        lines.add(path);
      } else {
        actions.forEach(action -> lines.add(path + " " + action));
      }
    }
    return lines;
  }
}
