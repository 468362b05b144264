package io.shoplake.models.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cli.ShoplakeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ModelsCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void launcherFindsTheModelsCommandAndListsItsSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("models");

    assertThat(run("models", "--help")).isZero();
    assertThat(out.toString()).contains("train", "evaluate", "promote", "rollback", "recommend", "benchmark");
  }

  @Test
  void evaluateRejectsAnUnknownFormatWithUsage() {
    assertThat(run("models", "evaluate", "--interactions", "x", "--format", "parquet")).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: shoplake models evaluate");
  }
}
