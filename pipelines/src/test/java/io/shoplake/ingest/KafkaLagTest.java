package io.shoplake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;
import org.junit.jupiter.api.Test;

class KafkaLagTest {
  private static SourceProgress source(String description, String endOffset, String latestOffset) {
    return new SourceProgress(description, "{}", endOffset, latestOffset, 0, 0, 0, Map.of());
  }

  @Test
  void readsTheOffsetsEachKafkaSourceReadToAndIgnoresOtherSources() {
    SourceProgress kafka = source("KafkaV2[SubscribePattern[shop\\..*]]",
        "{\"shop.orders\":{\"0\":120,\"1\":7},\"shop.inventory\":{\"0\":42}}",
        "{\"shop.orders\":{\"0\":120,\"1\":7},\"shop.inventory\":{\"0\":42}}");
    SourceProgress delta = source("DeltaSource[file:/w/bronze]",
        "{\"sourceVersion\":1,\"reservoirId\":\"r\",\"reservoirVersion\":5,\"index\":-1,\"isStartingVersion\":false}",
        null);
    SourceProgress rate = source("RateStreamV2", "12", null);

    assertThat(KafkaLag.readTo(new SourceProgress[] {kafka, delta, rate})).isEqualTo(Map.of(
        new TopicPartition("shop.orders", 0), 120L,
        new TopicPartition("shop.orders", 1), 7L,
        new TopicPartition("shop.inventory", 0), 42L));
  }

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
