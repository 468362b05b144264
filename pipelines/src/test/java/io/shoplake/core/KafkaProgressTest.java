package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;
import org.junit.jupiter.api.Test;

class KafkaProgressTest {
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
    SourceProgress shapedLikeKafka = source("MemoryStream[value#1]", "{\"t\":{\"0\":5}}", null);

    assertThat(KafkaProgress.readTo(new SourceProgress[] {kafka, delta, rate, shapedLikeKafka})).isEqualTo(Map.of(
        new TopicPartition("shop.orders", 0), 120L,
        new TopicPartition("shop.orders", 1), 7L,
        new TopicPartition("shop.inventory", 0), 42L));
  }
}
