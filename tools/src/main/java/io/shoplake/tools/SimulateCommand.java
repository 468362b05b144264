package io.shoplake.tools;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.devstack.DevstackProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/** Hands everything but the config options to the devstack's own simulator command (and its --help). */
@Command(name = "simulate",
    description = {"Run the shop simulator against a running devstack (orders, restocks, prices, clicks).",
        "Options: --duration 60s --seed 42 --rate 40 --max-orders N; --help lists them all."})
final class SimulateCommand implements Callable<Integer> {
  @Unmatched List<String> simulatorArgs = new ArrayList<>();

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(List.of("simulate"));
    if (!simulatorArgs.contains("--help")) {
      args.addAll(List.of("--state-dir", configOptions.load().string("shoplake.devstack.state-dir")));
    }
    args.addAll(simulatorArgs);
    return DevstackProcess.run(args.toArray(String[]::new));
  }
}
