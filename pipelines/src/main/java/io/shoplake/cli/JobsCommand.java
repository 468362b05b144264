package io.shoplake.cli;

import io.shoplake.Pipeline;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Schedulers check their task lists against this, so a DAG never names a job that is not there. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "Print the name of every job `run` accepts, one per line, in data-flow order.")
final class JobsCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Pipeline.names(configOptions.load()).forEach(out::println);
    out.flush();
    return 0;
  }
}
