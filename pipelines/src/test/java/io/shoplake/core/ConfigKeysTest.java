package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A misspelt key fails at start, naming the key that was meant, instead of leaving its default in force. */
class ConfigKeysTest {
  @Test
  void aMisspeltKeyIsRefusedNamingTheNearestDeclaredOneAndWhereItWasSet() {
    assertThatThrownBy(() -> ShoplakeConfig.load("local", Map.of("shoplake.kafka.bootstrap-server", "broker:9092")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown configuration key 'shoplake.kafka.bootstrap-server' (set in --conf")
        .hasMessageContaining("did you mean 'shoplake.kafka.bootstrap-servers'?");
  }

  @Test
  void aMisspeltPerJobKeyIsRefusedKeepingTheJobName() {
    assertThatThrownBy(() -> ShoplakeConfig.load("local",
        Map.of("shoplake.jobs.\"silver.orders\".trigger-intervall", "5s")))
        .hasMessageContaining("did you mean 'shoplake.jobs.\"silver.orders\".trigger-interval'?");
  }

  @Test
  void declaredKeysNamedEntriesSparkSettingsAndNumberedListItemsAreAccepted() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.jobs.\"silver.orders\".trigger-interval", "5s",
        "shoplake.cdc.tables.inventory.tombstone-horizon", "3d",
        "shoplake.spark.conf.\"spark.sql.ansi.enabled\"", "true",
        "shoplake.models.training.ranks.0", "10",
        "shoplake.kafka.bootstrap-servers", "broker:9092"));

    assertThat(config.millis("shoplake.jobs.\"silver.orders\".trigger-interval")).isEqualTo(5_000);
    assertThat(config.string("shoplake.kafka.bootstrap-servers")).isEqualTo("broker:9092");
    assertThat(KafkaSettings.from(config).bootstrapServers()).isEqualTo("broker:9092");
  }

  @Test
  void aRequiredKeyDeclaredWithoutDefaultStillFailsAsMissingWhenUsed() {
    ShoplakeConfig config = ShoplakeConfig.load("cluster", Map.of());

    assertThatThrownBy(() -> config.string("shoplake.kafka.bootstrap-servers"))
        .isInstanceOf(MissingConfigException.class).hasMessageContaining("shoplake.kafka.bootstrap-servers");
    assertThat(config.has("shoplake.kafka.bootstrap-servers")).isFalse();
  }

  @Test
  void anOverrideAddedInCodeIsCheckedToo() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());

    assertThatThrownBy(() -> config.with("shoplake.storage.warehose", "file:/tmp/w"))
        .hasMessageContaining("did you mean 'shoplake.storage.warehouse'?");
  }
}
