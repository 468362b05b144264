package io.shoplake.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cli.ShoplakeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The local launcher (this module's classpath) adds the local tools to the production commands. */
class LocalToolsCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void wrongArgumentPrintsUsage() {
    int code = run("devstack", "sideways");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: shoplake devstack");
  }

  @Test
  void helpListsEveryCommand() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("run", "models", "demo", "devstack", "simulate", "bench", "chaos");
  }

  @Test
  void listsTheLocalToolsCommandsBesideTheProductionOnes() {
    assertThat(run("jobs", "--commands")).isZero();
    assertThat(out.toString().lines()).contains("devstack up", "demo", "bench", "chaos", "models train", "check reconcile");
  }
}
