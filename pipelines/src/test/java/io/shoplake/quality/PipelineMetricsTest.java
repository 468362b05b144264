package io.shoplake.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.shoplake.testing.PrometheusScrape.key;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import io.shoplake.testing.PrometheusScrape;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;

/** What Prometheus gets from the endpoint a continuous run serves, scraped over HTTP as Prometheus does. */
class PipelineMetricsTest {
  private static StreamingQueryProgress progress(String job, String kafkaEndOffset, long rows, long durationMs) {
    SourceProgress kafka = new SourceProgress("KafkaV2[Subscribe[t]]", "{}", kafkaEndOffset, kafkaEndOffset,
        rows, 0, 0, Map.of());
    return new StreamingQueryProgress(UUID.randomUUID(), UUID.randomUUID(), job, "2026-12-04T00:00:00.000Z", 1,
        durationMs, Map.of(), Map.of(), new StateOperatorProgress[0], new SourceProgress[] {kafka}, null, Map.of());
  }

  private static Map<String, Double> scrape(int port) throws Exception {
    return PrometheusScrape.of("http://127.0.0.1:" + port + "/metrics");
  }

  @Test
  void aJobsBatchesLagAndAccountingReachPrometheusAndMoveWithTheNextBatch() throws Exception {
    String job = "test.job-" + UUID.randomUUID().toString().substring(0, 8);
    PipelineMetrics metrics = PipelineMetrics.get();
    Map<TopicPartition, Long> brokerEnds = new HashMap<>(Map.of(new TopicPartition("t", 0), 25L));
    metrics.endOffsetsFrom(partitions -> Map.copyOf(brokerEnds));
    // The oldest record past what the job read arrived 30 s ago.
    java.time.Instant oldestUnread = java.time.Instant.now().minusSeconds(30);
    metrics.arrivalsFrom(offsets -> offsets.getOrDefault(new TopicPartition("t", 0), Long.MAX_VALUE) < brokerEnds.get(
        new TopicPartition("t", 0)) ? Map.of(new TopicPartition("t", 0), oldestUnread) : Map.of());
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0)) {
      metrics.batch(progress(job, "{\"t\":{\"0\":10}}", 5, 1500));
      metrics.reported(new PipelineEvents.BatchReport(job, 1, new Timestamp(0), 100, 11, 7, 1, 1, 1, 1,
          Map.of("MALFORMED_JSON", 1L), Map.of(), 2500L));
      metrics.published(job, 1_700_000_000_500L);
      Map<String, Double> first = scrape(endpoint.port());
      assertThat(first).containsEntry(key("shoplake_job_batches_total", "shoplake_job", job), 1.0)
          .containsEntry(key("shoplake_job_input_rows_total", "shoplake_job", job), 5.0)
          .containsEntry(key("shoplake_job_batch_duration_seconds_bucket", "shoplake_job", job, "le", "2.0"), 1.0)
          .containsEntry(key("shoplake_job_batch_duration_seconds_bucket", "shoplake_job", job, "le", "1.0"), 0.0)
          .containsEntry(key("shoplake_kafka_lag_records", "shoplake_job", job, "topic", "t", "partition", "0"), 15.0)
          .containsEntry(key("shoplake_job_rows_total", "shoplake_job", job, "outcome", "stale"), 1.0)
          .containsEntry(key("shoplake_job_quarantined_rows_total", "shoplake_job", job, "error_class", "MALFORMED_JSON"), 1.0)
          .containsEntry(key("shoplake_job_source_lag_seconds", "shoplake_job", job), 2.5)
          .containsEntry(key("shoplake_serving_last_publish_timestamp_seconds", "shoplake_job", job), 1_700_000_000.5);
      assertThat(first.entrySet().stream().filter(e -> e.getKey().startsWith("shoplake_job_rows_total{")
          && e.getKey().contains("shoplake_job=" + job + "}")).mapToDouble(Map.Entry::getValue).sum())
          .as("every row of the batch, in one outcome each").isEqualTo(11.0);
      assertThat(first.get(key("shoplake_kafka_lag_seconds", "shoplake_job", job, "topic", "t", "partition", "0")))
          .as("how long the oldest unread record has waited").isCloseTo(30.0, org.assertj.core.data.Offset.offset(10.0));
      assertThat(first.get(key("shoplake_job_last_batch_timestamp_seconds", "shoplake_job", job)))
          .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
      assertThat(first.keySet()).as("the JVM's own series beside Shoplake's")
          .anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));

      // The broker got 5 more records while the job read 20 more.
      brokerEnds.put(new TopicPartition("t", 0), 30L);
      metrics.batch(progress(job, "{\"t\":{\"0\":30}}", 20, 400));
      Map<String, Double> second = scrape(endpoint.port());
      assertThat(second).containsEntry(key("shoplake_job_batches_total", "shoplake_job", job), 2.0)
          .containsEntry(key("shoplake_job_input_rows_total", "shoplake_job", job), 25.0)
          .containsEntry(key("shoplake_job_batch_duration_seconds_bucket", "shoplake_job", job, "le", "0.5"), 1.0)
          .containsEntry(key("shoplake_kafka_lag_records", "shoplake_job", job, "topic", "t", "partition", "0"), 0.0)
          .containsEntry(key("shoplake_kafka_lag_seconds", "shoplake_job", job, "topic", "t", "partition", "0"), 0.0);

      // A job that stops reading shows its lag growing with the broker's.
      brokerEnds.put(new TopicPartition("t", 0), 42L);
      assertThat(scrape(endpoint.port()))
          .containsEntry(key("shoplake_kafka_lag_records", "shoplake_job", job, "topic", "t", "partition", "0"), 12.0);
    }
  }

  @Test
  void aTakenPortIsNamedWithTheSettingThatMovesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(() -> MetricsEndpoint.start(taken.getLocalPort())).isInstanceOf(IOException.class)
          .hasMessageContaining("port " + taken.getLocalPort()).hasMessageContaining("shoplake.metrics.port");
    }
  }
}
