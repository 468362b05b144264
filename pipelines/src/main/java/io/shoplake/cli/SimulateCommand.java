package io.shoplake.cli;

import io.shoplake.demo.DevstackProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run the shop simulator against a running devstack (orders, restocks, prices, clicks).")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--duration", defaultValue = "60s", description = "How long (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", defaultValue = "40", description = "Actions per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--max-orders", description = "Stop after this many orders.")
  Integer maxOrders;

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    String stateDir = configOptions.load().string("shoplake.devstack.state-dir");
    return DevstackProcess.run(arguments(stateDir, duration, seed, rate, maxOrders).toArray(String[]::new));
  }

  static List<String> arguments(String stateDir, String duration, long seed, int rate, Integer maxOrders) {
    List<String> args = new ArrayList<>(List.of("simulate", "--state-dir", stateDir, "--duration", duration,
        "--seed", Long.toString(seed), "--rate", Integer.toString(rate)));
    if (maxOrders != null) args.addAll(List.of("--max-orders", maxOrders.toString()));
    return args;
  }
}
