package io.shoplake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `shoplake jobs` is what the Airflow tests check every task against: it must list what really runs. */
class JobsCommandTest {
  private List<String> run(String... args) {
    StringWriter out = new StringWriter();
    int code = ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
    assertThat(code).isZero();
    return out.toString().lines().toList();
  }

  @Test
  void listsEveryJobThatRunAccepts() {
    assertThat(run("jobs")).containsSubsequence("bronze.ingest", "silver.inventory", "gold.inventory_availability",
        "serving.availability", "pipeline").doesNotContain("silver.nosuch");
  }

  @Test
  void listsCommandsWithTheirActions() {
    assertThat(run("jobs", "--commands")).contains("check reconcile", "maintain optimize", "maintain vacuum",
        "sql-server", "devstack up").doesNotContain("maintain", "check");
  }
}
