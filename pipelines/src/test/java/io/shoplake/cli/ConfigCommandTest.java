package io.shoplake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from the declarations in conf/base.conf and must not go stale. */
class ConfigCommandTest {
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    int code = ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
    assertThat(code).isZero();
    return out.toString();
  }

  @Test
  void theConfigurationReferenceInDocsIsWhatTheDeclarationsGenerate() throws Exception {
    String generated = run("config", "docs");

    assertThat(Files.readString(Path.of("../docs/configuration.md")))
        .as("docs/configuration.md is stale: regenerate it with `bin/shoplake config docs > docs/configuration.md`")
        .isEqualTo(generated);
    assertThat(generated)
        .contains("| `shoplake.kafka.bootstrap-servers` | none | `SHOPLAKE_KAFKA_BOOTSTRAP_SERVERS` |")
        .contains("| `shoplake.trigger.parallel-jobs` | `3` |")
        .contains("## `shoplake.jobs`");
  }

  @Test
  void everyDeclaredKeyHasItsOneLineDoc() {
    assertThat(ConfigurationDoc.undocumented(ShoplakeConfig.declaredKeys()))
        .as("keys in conf/base.conf without a comment above them").isEmpty();
  }

  @Test
  void showPrintsTheResolvedConfigurationWithSecretsMasked() {
    String shown = run("config", "show", "--conf", "shoplake.redis.password=hunter2");

    assertThat(shown).contains("shoplake.trigger.parallel-jobs = 3").contains("shoplake.redis.password = ****")
        .doesNotContain("hunter2");
  }
}
