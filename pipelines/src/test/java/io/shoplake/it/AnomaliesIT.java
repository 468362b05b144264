package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.anomalies.AnomaliesJob;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.ingest.BronzeRecords;
import io.shoplake.Pipeline;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.PipelineEvents.BatchReport;
import io.shoplake.status.PipelineStatus;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops.anomalies} run for real on planted sources: a burst of clicks, a stop of the stock
 * topic and a flood of malformed records into ingest, landed in bronze and the pipeline's event
 * log in two halves and judged by two passes, then a third with nothing new. Each incident is
 * one alert opened and one resolved, in {@code quality.alerts} and on the alerts topic, never
 * twice; {@code status} lists an incident while it is open.
 */
@Order(1)
class AnomaliesIT {
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long BUCKET = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aPlantedBurstStopAndMalformedFloodEachAlertOnceAndResolve(@TempDir Path warehouse) throws Exception {
    Devstack devstack = Devstack.get();
    SparkSession spark = ItSpark.get(devstack);
    Map<String, String> settings = new HashMap<>(devstack.isolatedSettings("local", warehouse));
    settings.put("shoplake.anomalies.bucket", "10s");
    settings.put("shoplake.anomalies.grace", "10s");
    settings.put("shoplake.anomalies.trailing-buckets", "12");
    ShoplakeConfig config = devstack.config("local", settings);
    Tables tables = Tables.from(config);
    TableBootstrap.ensure(spark, tables, Pipeline.tables(config));

    plant(spark, tables, 0, 18);
    PipelineRuns.runOnce(spark, config, j -> j.name().equals(AnomaliesJob.NAME));
    // The stock topic's stop is open at the end of the first half: status lists it, and only it.
    assertThat(openAnomalies(spark, config)).containsExactly("SILENT_STOP shop.inventory since 2026-11-25T10:02:30Z");
    plant(spark, tables, 18, 30);
    PipelineRuns.runOnce(spark, config, j -> j.name().equals(AnomaliesJob.NAME));
    PipelineRuns.runOnce(spark, config, j -> j.name().equals(AnomaliesJob.NAME));

    List<String> expected = List.of(
        "VOLUME_HIGH/clickstream/2026-11-25T10:01:40Z OPENED VOLUME_SPIKE",
        "VOLUME_HIGH/clickstream/2026-11-25T10:01:40Z RESOLVED VOLUME_SPIKE",
        "VOLUME_LOW/shop.inventory/2026-11-25T10:02:30Z OPENED SILENT_STOP",
        "VOLUME_LOW/shop.inventory/2026-11-25T10:02:30Z RESOLVED SILENT_STOP",
        "QUARANTINE_RATE/bronze.ingest/2026-11-25T10:03:40Z OPENED QUARANTINE_RATE",
        "QUARANTINE_RATE/bronze.ingest/2026-11-25T10:03:40Z RESOLVED QUARANTINE_RATE");
    List<String> recorded = TableAccess.of(spark, tables).read(Tables.ALERTS)
        .selectExpr("concat_ws(' ', alert_id, state, kind)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(expected);

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
    }
    assertThat(published).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(openAnomalies(spark, config)).isEmpty();
  }

  private static List<String> openAnomalies(SparkSession spark, ShoplakeConfig config) throws Exception {
    PipelineStatus status = PipelineStatus.gather(spark, Tables.from(config), Pipeline.graph(config),
        new PipelineStatus.Sources(null, null, ""), Duration.ofMinutes(10));
    return status.openAnomalies().stream().map(a -> a.kind() + " " + a.subject() + " since " + a.openedBucket()).toList();
  }

  /**
   * Buckets {@code from} (inclusive) to {@code to}: 30 clicks and 30 stock changes per bucket, but
   * 150 clicks in buckets 10 and 11 and no stock changes in 15 to 19; ingest's batches read 40
   * records a bucket, of which it quarantined 30 in buckets 22 and 23 and none otherwise.
   */
  private static void plant(SparkSession spark, Tables tables, int from, int to) {
    List<Row> clicks = new ArrayList<>();
    List<Row> stock = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records(clicks, "clickstream", i, i == 10 || i == 11 ? 150 : 30);
      records(stock, "shop.inventory", i, i >= 15 && i < 20 ? 0 : 30);
      PipelineEvents.append(spark, tables, new BatchReport("bronze.ingest", i, new Timestamp(T0 + i * BUCKET), 100, 40,
          i == 22 || i == 23 ? 10 : 40, 0, 0, i == 22 || i == 23 ? 30 : 0, 0, Map.of(), Map.of(), null));
    }
    TableAccess access = TableAccess.of(spark, tables);
    access.append(Tables.bronzeFor("clickstream"), spark.createDataFrame(clicks, BronzeRecords.SCHEMA));
    access.append(Tables.bronzeFor("shop.inventory"), spark.createDataFrame(stock, BronzeRecords.SCHEMA));
  }

  private static void records(List<Row> rows, String topic, int bucket, int n) {
    for (int k = 0; k < n; k++) {
      long at = T0 + bucket * BUCKET + k * (BUCKET / n);
      rows.add(RowFactory.create("k" + k, "{}", topic, 0, bucket * 1000L + k, new Timestamp(at), new Timestamp(at), 0L));
    }
  }
}
