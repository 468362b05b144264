package io.shoplake.tools;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.devstack.DevstackProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "devstack", mixinStandardHelpOptions = true,
    description = {"Local services for the demo and tests: Kafka, PostgreSQL + Debezium, Redis, S3 endpoint.",
        "  up      start them in the foreground (Ctrl-C stops and cleans up)",
        "  down    stop leftovers of a crashed 'up' and drop its replication slot",
        "  status  show each service and its endpoint"})
final class DevstackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ACTION", description = "up, down or status")
  Action action;

  @Mixin ConfigOptions configOptions;

  enum Action { up, down, status }

  @Override
  public Integer call() throws Exception {
    String stateDir = configOptions.load().string("shoplake.devstack.state-dir");
    List<String> args = new ArrayList<>(List.of(action.name(), "--state-dir", stateDir));
    return DevstackProcess.run(args.toArray(String[]::new));
  }
}
