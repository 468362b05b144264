package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShoplakeConfigTest {
  @Test
  void missingRequiredKeyNamesTheKeyAndTheFiles() {
    ShoplakeConfig config = ShoplakeConfig.load("cluster", Map.of());

    assertThatThrownBy(() -> Tables.from(config))
        .isInstanceOf(MissingConfigException.class)
        .hasMessageContaining("'shoplake.storage.warehouse'")
        .hasMessageContaining("conf/cluster.conf");
  }

  @Test
  void layersFromBaseToDevstackToOverlayToCommandLine(@TempDir Path dir) throws Exception {
    Path devstack = dir.resolve("devstack.conf");
    Files.writeString(devstack, """
        shoplake.kafka.bootstrap-servers = "127.0.0.1:1111"
        shoplake.storage.warehouse = "file:/from-devstack"
        shoplake.redis { host = "127.0.0.1", port = 2222 }
        """);

    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.redis.port", "3333"), devstack);

    assertThat(config.string("shoplake.kafka.bootstrap-servers")).isEqualTo("127.0.0.1:1111");
    // local.conf sits above the devstack endpoints, --conf above everything.
    assertThat(config.string("shoplake.storage.warehouse")).endsWith("/.shoplake/warehouse");
    assertThat(config.integer("shoplake.redis.port")).isEqualTo(3333);
    assertThat(config.string("shoplake.spark.master")).isEqualTo("local[6]");
  }

  @Test
  void clusterLeavesTheMasterToSparkSubmitAndIgnoresDevstack() {
    ShoplakeConfig config = ShoplakeConfig.load("cluster", Map.of());

    assertThat(config.has("shoplake.spark.master")).isFalse();
  }

  @Test
  void describeMasksSecrets() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.s3.secret-key", "very-secret-value", "shoplake.postgres.password", "pg-secret-value"));

    String described = config.describe();
    assertThat(described).doesNotContain("very-secret-value").doesNotContain("pg-secret-value")
        .contains("shoplake.s3.secret-key = ****").contains("shoplake.spark.master = \"local[6]\"");
  }

  @Test
  void unknownEnvironmentIsRefused() {
    assertThatThrownBy(() -> ShoplakeConfig.load("prod", Map.of()))
        .hasMessageContaining("Unknown environment 'prod'");
  }
}
