package io.shoplake.it;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that break the contract land in quarantine with their reason; the flow goes on. */
class BadInputIT {
  @Test
  void malformedAndWrongTypedCdcRecordsAreQuarantinedWithTheirCoordinates(@TempDir Path warehouse) throws Exception {
    Devstack devstack = Devstack.get();
    ShoplakeConfig config = devstack.config("local", devstack.isolatedSettings("local", warehouse));
    String key = "{\"product_id\":1,\"location_id\":\"WH-EAST\"}";
    RecordMetadata malformed;
    RecordMetadata wrongType;
    try (KafkaProducer<String, String> producer = producer(config)) {
      malformed = producer.send(new ProducerRecord<>("shop.inventory", key, "{\"op\":\"u\", \"after\": {")).get();
      wrongType = producer.send(new ProducerRecord<>("shop.inventory", key,
          "{\"before\":null,\"after\":{\"product_id\":1,\"location_id\":\"WH-EAST\",\"on_hand\":\"plenty\","
              + "\"reserved\":0,\"updated_at\":\"2026-11-25T10:00:00Z\"},\"source\":{\"lsn\":1,\"ts_ms\":0},"
              + "\"op\":\"u\",\"ts_ms\":0}")).get();
    }
    SparkSession spark = ItSpark.get(devstack);

    // Valid changes around the bad ones still reach gold, which equals PostgreSQL.
    PipelineRuns.runUntilGoldMatchesPostgres(spark, config, java.time.Duration.ofMinutes(3));

    Dataset<Row> quarantine = spark.read().format("delta").load(Tables.from(config).path(Tables.QUARANTINE))
        .filter("topic = 'shop.inventory'");
    assertRows(quarantine.filter("offset IN (" + malformed.offset() + "," + wrongType.offset() + ")"),
        List.of("stage", "topic", "partition", "offset", "error_class", "error_message"),
        List.of(
            row("bronze.ingest", "shop.inventory", malformed.partition(), malformed.offset(), "MALFORMED_JSON",
                "value is not a JSON object: {\"op\":\"u\", \"after\": {"),
            row("silver.inventory", "shop.inventory", wrongType.partition(), wrongType.offset(), "WRONG_TYPE",
                "after.on_hand: expected int, got 'plenty'")));
    assertThat(quarantine.filter("raw_value IS NULL").count()).as("raw bytes kept").isZero();
    // In = bronze + quarantined at ingest, for every partition of every source topic.
    PipelineRuns.assertBronzeReconciles(spark, config);
  }

  private static KafkaProducer<String, String> producer(ShoplakeConfig config) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.string("shoplake.kafka.bootstrap-servers"));
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }
}
