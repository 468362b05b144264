package io.shoplake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.it.Devstack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The demo's lag column and the lag metrics against a real broker: records past what ingest
 * read, per partition, and when the oldest of them arrived.
 */
class KafkaLagIT {
  private static final long T0 = java.time.Instant.parse("2026-12-05T03:00:00Z").toEpochMilli();

  @Test
  void countsTheRecordsTheBrokerHoldsPastTheOffsetsRead() throws Exception {
    String bootstrap = Devstack.get().config("local", new HashMap<>()).string("shoplake.kafka.bootstrap-servers");
    String topic = "it.lag." + System.nanoTime();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 5; i++) producer.send(new ProducerRecord<>(topic, 0, T0 + i * 1000L, "k", "v" + i));
      for (int i = 0; i < 2; i++) producer.send(new ProducerRecord<>(topic, 1, "k", "v" + i));
      producer.flush();
    }

    try (KafkaLag lag = KafkaLag.connect(io.shoplake.core.KafkaConnection.plaintext(bootstrap))) {
      assertThat(lag.now(Map.of(new TopicPartition(topic, 0), 3L, new TopicPartition(topic, 1), 2L))).isEqualTo(2);
      assertThat(lag.now(Map.of(new TopicPartition(topic, 0), 5L, new TopicPartition(topic, 1), 2L))).isZero();
      assertThat(lag.now(Map.of())).isZero();
      // Read to offset 3 of partition 0: the record waiting there was produced at T0 + 3 s; nothing waits in 1.
      assertThat(lag.arrivals(Map.of(new TopicPartition(topic, 0), 3L, new TopicPartition(topic, 1), 2L)))
          .isEqualTo(Map.of(new TopicPartition(topic, 0), java.time.Instant.ofEpochMilli(T0 + 3000)));
    }
  }
}
