package io.shoplake.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cli.DataChecks;
import io.shoplake.devstack.Outage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@code shoplake chaos} that keeps it from rotting: three kills of the
 * pipeline JVM and one outage of each kind, bad records among the shop's, the warehouse on the
 * S3 endpoint, then every check.
 * The long run (fifty kills) is the command's, with its figures in the performance log.
 */
class ChaosShortIT {
  @Test
  void killsAndEveryOutageLoseAndRepeatNothing() throws Exception {
    Path home = Files.createTempDirectory("shoplake-chaos-it-");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ChaosRun.Report report = new ChaosRun(new ChaosRun.Options("s3", Map.of(), home, Duration.ofMinutes(3), 3,
        List.of(Outage.values()), Duration.ofSeconds(10), 11, 40, Duration.ofMinutes(10)),
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    String progress = printed.toString(StandardCharsets.UTF_8);

    assertThat(report.failures()).as(progress).isEmpty();
    assertThat(report.killsDone()).isEqualTo(3);
    assertThat(report.killsAfterCommit()).as("kills that waited for a Delta commit and landed right after it")
        .isPositive();
    assertThat(report.outagesDone()).as(progress).containsOnlyKeys(Outage.values())
        .allSatisfy((outage, times) -> assertThat(times).isEqualTo(1));
    assertThat(report.neverRecovered()).as("faults after which their layer never moved again").isEmpty();
    assertThat(report.recoveries()).containsKeys("outage kafka", "outage redis", "outage s3", "outage postgres",
        "outage debezium", "kill 1", "kill 2", "kill 3");
    assertThat(report.checks()).extracting(DataChecks.Line::area)
        .contains("bronze", "apply", "silver", "serving", "gold", "cdc", "quarantine");
    assertThat(report.badRecordsSent()).as("bad records planted among the shop's").isGreaterThan(10);
    assertThat(report.checks()).as("no check may be skipped: the run has PostgreSQL and the key")
        .noneMatch(l -> l.status() == DataChecks.Status.SKIP);
    assertThat(report.checks()).filteredOn(l -> l.status() == DataChecks.Status.DIFF).as(progress).isEmpty();
    assertThat(report.passed()).isTrue();
  }
}
