package io.shoplake.tools;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Bring up the devstack, simulate the shop while the whole pipeline runs, and compare",
        "PostgreSQL with gold and Redis. --env s3 keeps the warehouse on the local S3 endpoint."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--duration", defaultValue = "60s", description = "Simulated time (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", defaultValue = "40", description = "Simulator actions per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--home", description = "Where runs and the demo's devstack live (default: ~/.shoplake).")
  Path home = Path.of(System.getProperty("user.home"), ".shoplake");

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    Duration simulated = Duration.parse("PT" + duration.toUpperCase(java.util.Locale.ROOT));
    return new Demo(new Demo.Options(configOptions.env(), configOptions.overrides(), simulated, seed, rate,
        home, Duration.ofMinutes(2), Duration.ofMinutes(15)), System.out).run();
  }
}
