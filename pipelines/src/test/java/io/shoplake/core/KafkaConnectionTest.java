package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"shoplake\" password=\"s3cr3t-jaas\";";

  private static ShoplakeConfig secured() {
    return ShoplakeConfig.load("local", Map.of(
        "shoplake.kafka.bootstrap-servers", "broker-1:9093,broker-2:9093",
        "shoplake.kafka.options.\"security.protocol\"", "SASL_SSL",
        // Unquoted, HOCON nests it; it is the same client property.
        "shoplake.kafka.options.sasl.mechanism", "SCRAM-SHA-512",
        "shoplake.kafka.options.\"sasl.jaas.config\"", JAAS));
  }

  @Test
  void everyClientGetsTheBrokersAndEveryOptionSparkWithItsKafkaPrefix() {
    KafkaConnection kafka = KafkaSettings.from(secured()).connection();

    assertThat(kafka.clientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "bootstrap.servers", "broker-1:9093,broker-2:9093", "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS));
    assertThat(kafka.properties()).containsAllEntriesOf(kafka.clientProperties());
    assertThat(kafka.sparkOptions()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "kafka.bootstrap.servers", "broker-1:9093,broker-2:9093", "kafka.security.protocol", "SASL_SSL",
        "kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.sasl.jaas.config", JAAS));
  }

  @Test
  void noOptionsByDefaultAndTheBrokersAreNotAnOption() {
    assertThat(KafkaSettings.connection(ShoplakeConfig.load("local", Map.of("shoplake.kafka.bootstrap-servers", "b:9092")))
        .options()).isEmpty();
    assertThatThrownBy(() -> KafkaSettings.connection(ShoplakeConfig.load("local", Map.of(
        "shoplake.kafka.bootstrap-servers", "b:9092", "shoplake.kafka.options.\"bootstrap.servers\"", "other:9092"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shoplake.kafka.bootstrap-servers");
  }

  @Test
  void noPrintoutShowsTheJaasLine() {
    ShoplakeConfig config = secured();

    assertThat(KafkaSettings.connection(config).toString()).contains("broker-1:9093", "sasl.jaas.config")
        .doesNotContain("s3cr3t-jaas");
    assertThat(config.describe()).contains("SASL_SSL").doesNotContain("s3cr3t-jaas");
  }

  @Test
  void executorsGetTheSameConnection() throws Exception {
    KafkaConnection kafka = KafkaSettings.connection(secured());
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(kafka);
    }
    try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(kafka);
    }
  }
}
