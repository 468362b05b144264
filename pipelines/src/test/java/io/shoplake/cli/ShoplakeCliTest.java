package io.shoplake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ShoplakeCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void unknownJobFailsNamingItAndTheKnownJobs() {
    int code = run("run", "nosuchjob");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown job 'nosuchjob'").contains("silver.inventory")
        .contains("Usage: shoplake run");
  }

  @Test
  void missingRequiredConfigKeyFailsNamingTheKey() {
    int code = run("run", "bronze.ingest", "--env", "cluster");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Missing required config key 'shoplake.storage.warehouse'");
  }

  @Test
  void helpListsTheProductionCommandsAndNoLocalTool() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("run", "check", "query", "jobs", "config", "sql-server", "maintain")
        .doesNotContain("demo", "devstack", "bench");
  }

  @Test
  void aContinuousRunThatGaveUpOnAJobExitsWithItsOwnCodeNamingTheJobAndTheLastFailure() throws Exception {
    var cli = new picocli.CommandLine(new ShoplakeCli()).setErr(new PrintWriter(err, true));

    int code = ShoplakeCli.exitCode(new io.shoplake.core.JobKeptFailing("serving.availability", 10,
        new IllegalStateException("Redis unreachable")), cli, null);

    assertThat(code).isEqualTo(3).isNotIn(0, 1, 2);
    assertThat(err.toString()).contains("serving.availability failed 10 times in a row").contains("Redis unreachable");
  }
}
