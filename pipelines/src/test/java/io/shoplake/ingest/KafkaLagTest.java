package io.shoplake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaLagTest {
  @Test
  void unreadRecordsAreTheBrokersEndsPastWhatWasRead() {
    TopicPartition orders0 = new TopicPartition("shop.orders", 0);
    TopicPartition orders1 = new TopicPartition("shop.orders", 1);
    TopicPartition inventory0 = new TopicPartition("shop.inventory", 0);
    // What progress reports as the latest offset equals what the batch read: that said 0 here.
    Map<TopicPartition, Long> readTo = Map.of(orders0, 120L, orders1, 7L, inventory0, 42L);

    assertThat(KafkaLag.unread(readTo, Map.of(orders0, 150L, orders1, 7L, inventory0, 45L))).isEqualTo(33);
    assertThat(KafkaLag.unread(readTo, Map.of(orders0, 120L, orders1, 7L, inventory0, 42L))).isZero();
  }
}
