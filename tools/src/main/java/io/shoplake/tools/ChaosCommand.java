package io.shoplake.tools;

import io.shoplake.chaos.ChaosPlan;
import io.shoplake.chaos.ChaosRun;
import io.shoplake.cli.ConfigOptions;
import io.shoplake.cli.DataChecks;
import io.shoplake.devstack.Outage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Fault injection with the final state compared to the truth. On a devstack of its own, runs the",
        "whole continuous pipeline in a JVM of its own while the simulator keeps the shop busy for --duration,",
        "and meanwhile, at times drawn from --seed: SIGKILLs the pipeline JVM --kills times (every other kill",
        "right after a Delta commit, before its batch is checkpointed) and takes each --outages service away",
        "for --outage-length: the Kafka broker restarts; Redis stops and comes back empty; the S3 endpoint",
        "refuses requests (--env s3); PostgreSQL restarts; Debezium restarts (both resume from their offsets).",
        "Every 5 s a bad record goes to a source topic in turn (truncated CDC JSON, a click that is not JSON, an",
        "outbox event without an id, a customer change that is not UTF-8).",
        "Then the shop stops, the pipeline settles (at most --settle-cap) and every check runs: bronze = Kafka",
        "per partition; every bronze row's outcome once in the event log and the quarantine; each click and",
        "outbox event once in silver; every silver table = PostgreSQL; gold = PostgreSQL; Redis = gold; the",
        "availability and price topics' last message per product = Redis; Debezium's snapshot taken once;",
        "every planted bad record quarantined once. Prints the",
        "checks and the run's figures: kills and outages done, wall time, the longest recovery (from a fault",
        "until the layer it hit moves again). Exit 0 when every check agrees and every fault was done, else 1."})
final class ChaosCommand implements Callable<Integer> {
  @Option(names = "--duration", defaultValue = "30m", description = "How long the shop runs and faults strike (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--kills", defaultValue = "50", description = "SIGKILLs of the pipeline JVM (default: ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--outages", split = ",", description = "Services taken away once each: kafka, redis, s3, postgres,"
      + " debezium (default: all; s3 only with --env s3).")
  List<String> outages;

  @Option(names = "--outage-length", defaultValue = "30s", description = "How long each outage lasts (default: ${DEFAULT-VALUE}).")
  String outageLength;

  @Option(names = "--seed", defaultValue = "1", description = "Draws the fault times and the simulator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rate", defaultValue = "40", description = "Simulator actions per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--settle-cap", defaultValue = "15m", description = "The longest the pipeline gets, once the shop"
      + " stopped, to agree with the truth (default: ${DEFAULT-VALUE}).")
  String settleCap;

  @Option(names = "--home", description = "Where runs and the chaos devstack live (default: ~/.shoplake).")
  Path home = Path.of(System.getProperty("user.home"), ".shoplake");

  @Mixin ConfigOptions configOptions;

  @Override
  public Integer call() throws Exception {
    List<Outage> chosen = outages != null ? outages.stream().map(Outage::of).toList()
        : Arrays.stream(Outage.values()).filter(o -> o != Outage.S3 || configOptions.env().equals("s3")).toList();
    if (chosen.contains(Outage.S3) && !configOptions.env().equals("s3")) {
      throw new IllegalArgumentException("an s3 outage needs the warehouse on the S3 endpoint: add --env s3");
    }
    ChaosRun.Report report = new ChaosRun(new ChaosRun.Options(configOptions.env(), configOptions.overrides(), home,
        parse(duration), kills, chosen, parse(outageLength), seed, rate, parse(settleCap)), System.out).run();
    print(report, System.out);
    return report.passed() ? 0 : 1;
  }

  static void print(ChaosRun.Report report, PrintStream out) {
    out.println();
    out.println("== Checks ==");
    report.checks().forEach(l -> out.println("  " + l.format()));
    long differing = report.checks().stream().filter(l -> l.status() == DataChecks.Status.DIFF).count();
    out.println();
    out.println("== Figures ==");
    ChaosPlan plan = report.plan();
    out.printf("  kills                %d of %d (%d right after a Delta commit; %d with a batch in flight)%n",
        report.killsDone(), plan.count(ChaosPlan.Fault.Kind.KILL) + plan.count(ChaosPlan.Fault.Kind.KILL_AFTER_COMMIT),
        report.killsAfterCommit(), report.killsMidBatch());
    out.printf("  outages              %d of %d: %s%n", report.outagesDone().values().stream().mapToInt(Integer::intValue).sum(),
        plan.count(ChaosPlan.Fault.Kind.OUTAGE), report.outagesDone().entrySet().stream()
            .map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", ")));
    out.printf("  bad records planted  %d%n", report.badRecordsSent());
    out.printf("  wall time            %d s%n", report.wall().toSeconds());
    out.printf("  longest recovery     %s%n", report.longestRecovery()
        .map(e -> e.getValue().toSeconds() + " s (" + e.getKey() + ")").orElse("n/a"));
    out.printf("  recoveries           %s%n", recoveriesByKind(report.recoveries()));
    if (!report.neverRecovered().isEmpty()) out.printf("  never recovered      %s%n", report.neverRecovered());
    report.failures().forEach(f -> out.println("  FAILED               " + f));
    out.printf("  verdict              %s (%d checks, %d differ)%n", report.passed() ? "PASSED" : "FAILED",
        report.checks().size(), differing);
  }

  /** Per fault kind (kill, outage kafka, ...): how many, and the slowest recovery. */
  private static String recoveriesByKind(Map<String, Duration> recoveries) {
    Map<String, List<Duration>> byKind = recoveries.entrySet().stream().collect(Collectors.groupingBy(
        e -> e.getKey().replaceAll(" \\d+$", ""), java.util.TreeMap::new,
        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    return byKind.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue().size() + " max "
        + e.getValue().stream().max(Duration::compareTo).orElseThrow().toSeconds() + " s")
        .collect(Collectors.joining("; "));
  }

  private static Duration parse(String text) {
    return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
  }
}
