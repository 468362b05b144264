package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.anomalies.AnomaliesJob;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.core.Job;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.Pipeline;
import io.shoplake.status.PipelineStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops.anomalies} run for real on the simulator's planted incidents ({@code
 * simulate-incidents}): clicks on a topic of this test's own with a burst, a stop and a flood of
 * records that are not JSON, stamped with the times they stand for. Ingest lands them in bronze
 * and quarantine; the plan comes in two parts, each judged by a pass, then a third pass finds
 * nothing new. Each incident is one alert opened and one resolved, in {@code quality.alerts} and
 * on the alerts topic, never twice; {@code status} lists an incident while it is open.
 */
@Order(1)
class AnomaliesIT {
  private static final long BUCKET = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void plantedBurstStopAndMalformedFloodEachAlertOnceAndResolve(@TempDir Path warehouse) throws Exception {
    Devstack devstack = Devstack.get();
    SparkSession spark = ItSpark.get(devstack);
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "clickstream.planted_" + id;
    Map<String, String> settings = new HashMap<>(devstack.isolatedSettings("local", warehouse));
    settings.put("shoplake.anomalies.bucket", "10s");
    settings.put("shoplake.anomalies.grace", "10s");
    settings.put("shoplake.anomalies.trailing-buckets", "12");
    ShoplakeConfig config = devstack.ingestingOnly("local", settings, topic);
    Predicate<Job> ingestAndAnomalies = j -> j.name().equals(BronzeIngestJob.NAME) || j.name().equals(AnomaliesJob.NAME);
    Instant start = Instant.ofEpochMilli((System.currentTimeMillis() / BUCKET - 40) * BUCKET);
    String[] plan = {"--topic", topic, "--bucket", "10s", "--start", start.toString()};

    // Up to the first bucket after the stop: the stop is judged (the topic's newest records are
    // its clock) and still open.
    devstack.plantIncidents(with(plan, "--buckets", "0-20"));
    PipelineRuns.runOnce(spark, config, ingestAndAnomalies);
    assertThat(openAnomalies(spark, config)).containsExactly("SILENT_STOP " + topic + " since " + bucket(start, 15));
    devstack.plantIncidents(with(plan, "--buckets", "21-29"));
    PipelineRuns.runOnce(spark, config, ingestAndAnomalies);
    PipelineRuns.runOnce(spark, config, j -> j.name().equals(AnomaliesJob.NAME));

    List<String> expected = List.of(
        "VOLUME_HIGH/" + topic + "/" + bucket(start, 10) + " OPENED VOLUME_SPIKE",
        "VOLUME_HIGH/" + topic + "/" + bucket(start, 10) + " RESOLVED VOLUME_SPIKE",
        "VOLUME_LOW/" + topic + "/" + bucket(start, 15) + " OPENED SILENT_STOP",
        "VOLUME_LOW/" + topic + "/" + bucket(start, 15) + " RESOLVED SILENT_STOP",
        "MALFORMED_RATE/" + topic + "/" + bucket(start, 22) + " OPENED MALFORMED_RATE",
        "MALFORMED_RATE/" + topic + "/" + bucket(start, 22) + " RESOLVED MALFORMED_RATE");
    Tables tables = Tables.from(config);
    List<String> recorded = TableAccess.of(spark, tables).read(Tables.ALERTS)
        .selectExpr("concat_ws(' ', alert_id, state, kind)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(expected);
    // The flood reached quarantine, each record with the time it reached Kafka: in the flood's buckets.
    var flood = TableAccess.of(spark, tables).read(Tables.QUARANTINE)
        .selectExpr("count(*)", "count(kafka_timestamp)", "min(kafka_timestamp)", "max(kafka_timestamp)").first();
    assertThat(flood.getLong(0)).isEqualTo(flood.getLong(1)).isEqualTo(80);
    assertThat(flood.getTimestamp(2).toInstant()).isAfterOrEqualTo(bucket(start, 22));
    assertThat(flood.getTimestamp(3).toInstant()).isBefore(bucket(start, 24));

    List<String> published = new ArrayList<>();
    for (var record : ServingTopicReader.all(config.string("shoplake.kafka.bootstrap-servers"),
        config.string("shoplake.anomalies.topic"))) {
      JsonNode alert = JSON.readTree(record.value());
      assertThat(record.key()).isEqualTo(alert.get("subject").asText());
      published.add(alert.get("alert_id").asText() + " " + alert.get("state").asText() + " " + alert.get("kind").asText());
      if (alert.get("kind").asText().equals("VOLUME_SPIKE") && alert.get("state").asText().equals("OPENED")) {
        assertThat(alert.get("observed").asDouble()).isEqualTo(150);
        assertThat(alert.get("expected").asDouble()).isEqualTo(30);
        assertThat(alert.get("message").asText()).contains("150 records");
      }
      if (alert.get("kind").asText().equals("MALFORMED_RATE") && alert.get("state").asText().equals("OPENED")) {
        // 40 of the bucket's 70 records could not be read: a share of all the topic carried.
        assertThat(alert.get("observed").asDouble()).isCloseTo(40.0 / 70, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    assertThat(published).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(openAnomalies(spark, config)).isEmpty();
  }

  private static Instant bucket(Instant start, int index) {
    return start.plusMillis(index * BUCKET);
  }

  private static String[] with(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  private static List<String> openAnomalies(SparkSession spark, ShoplakeConfig config) throws Exception {
    PipelineStatus status = PipelineStatus.gather(spark, Tables.from(config), Pipeline.graph(config),
        new PipelineStatus.Sources(null, null, ""), Duration.ofMinutes(10));
    return status.openAnomalies().stream().map(a -> a.kind() + " " + a.subject() + " since " + a.openedBucket()).toList();
  }
}
