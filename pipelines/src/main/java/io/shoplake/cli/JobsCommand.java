package io.shoplake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobGraph;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Schedulers check their task lists against this, so a DAG never names a job or command that is not there. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = {"Print the name of every job `run` accepts, one per line, in data-flow order.",
        "With --json: the job graph, each job with its kind and the tables and topics it reads and writes.",
        "With --commands: every other command line a scheduler may launch (e.g. `check reconcile`)."})
final class JobsCommand implements Callable<Integer> {
  @Option(names = "--commands", description = "List commands with their actions instead of jobs.")
  boolean commands;

  @Option(names = "--json", description = "Print the job graph as JSON.")
  boolean json;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(graphJson(Pipeline.graph(configOptions.load())));
      out.flush();
      return 0;
    }
    List<String> lines = commands ? commandLines(spec.root(), "") : Pipeline.names(configOptions.load());
    lines.forEach(out::println);
    out.flush();
    return 0;
  }

  /** One object per job in flow order: name, kind, reads, writes, topics read and written, upstream jobs. */
  static String graphJson(JobGraph graph) {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode jobs = mapper.createArrayNode();
    for (Job job : graph.flowOrder()) {
      JobDeclaration d = graph.declaration(job.name());
      ObjectNode node = jobs.addObject().put("name", job.name()).put("kind", d.kind().label());
      array(node, "reads", d.reads().stream().map(Object::toString).toList());
      array(node, "writes", d.written().stream().map(Object::toString).toList());
      array(node, "topics_read", d.topicsRead());
      array(node, "topics_written", d.topicsWritten());
      array(node, "upstream", graph.upstream(job.name()).stream().sorted().toList());
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.createObjectNode().set("jobs", jobs));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void array(ObjectNode node, String name, List<String> values) {
    ArrayNode array = node.putArray(name);
    values.forEach(array::add);
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
