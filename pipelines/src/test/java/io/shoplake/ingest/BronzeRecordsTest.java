package io.shoplake.ingest;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BronzeRecordsTest {
  private static final StructType KAFKA = new StructType()
      .add("key", DataTypes.BinaryType).add("value", DataTypes.BinaryType).add("topic", DataTypes.StringType)
      .add("partition", DataTypes.IntegerType).add("offset", DataTypes.LongType).add("timestamp", DataTypes.TimestampType);
  private final SparkSession spark = SharedSpark.get();

  private static Row record(String topic, long offset, byte[] value) {
    return RowFactory.create("k".getBytes(StandardCharsets.UTF_8), value, topic, 1, offset, new Timestamp(0));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readableRecordsKeepTheirCoordinatesAndUnreadableOnesSayWhy() {
    Dataset<Row> kafka = spark.createDataFrame(List.of(
        record("shop.inventory", 10, utf8("{\"op\":\"c\"}")),
        record("shop.inventory", 11, null),
        record("shop.inventory", 12, utf8("{\"op\": \"c\", ")),
        record("clickstream", 13, new byte[] {(byte) 0xC3, (byte) 0x28}),
        record("clickstream", 14, utf8("[1,2]"))), KAFKA);

    Dataset<Row> classified = BronzeRecords.classify(kafka, 5, 1 << 20);

    assertRows(BronzeRecords.readable(classified), List.of("topic", "partition", "offset", "value", "batch_id"), List.of(
        row("shop.inventory", 1, 10L, "{\"op\":\"c\"}", 5L),
        row("shop.inventory", 1, 11L, null, 5L)));
    assertRows(BronzeRecords.unreadable(classified), List.of("topic", "offset", "error_class", "error_message"), List.of(
        row("shop.inventory", 12L, "MALFORMED_JSON", "value is not a JSON object: {\"op\": \"c\", "),
        row("clickstream", 13L, "NOT_UTF8", "value is not valid UTF-8"),
        row("clickstream", 14L, "MALFORMED_JSON", "value is not a JSON object: [1,2]")));
  }

  @Test
  void onlyAWholeJsonObjectIsReadableAndItsBytesAreKeptOnceAsText() {
    Dataset<Row> kafka = spark.createDataFrame(List.of(
        record("shop.inventory", 1, utf8("{}")),
        record("shop.inventory", 2, utf8("{\"a\":1,\"a\":2}")),
        record("shop.inventory", 3, utf8("{\"after\":{\"x\":[1,{\"y\":null}]},\"op\":\"u\"}")),
        record("shop.inventory", 4, utf8("\"text\"")),
        record("shop.inventory", 5, utf8("42")),
        record("shop.inventory", 6, utf8("{\"a\":tru}")),
        record("shop.inventory", 7, utf8(""))), KAFKA);

    Dataset<Row> classified = BronzeRecords.classify(kafka, 1, 1 << 20);

    assertRows(classified.filter("error_class IS NULL"), List.of("offset", "raw_key", "raw_value"), List.of(
        row(1L, null, null), row(2L, null, null), row(3L, null, null)));
    assertRows(classified.filter("error_class IS NOT NULL"), List.of("offset", "error_class", "value", "string(raw_value)"),
        List.of(row(4L, "MALFORMED_JSON", null, "\"text\""), row(5L, "MALFORMED_JSON", null, "42"),
            row(6L, "MALFORMED_JSON", null, "{\"a\":tru}"), row(7L, "MALFORMED_JSON", null, "")));
  }

  @Test
  void eachRecordIsScannedForUtf8AndParsedOnceThoughEveryCheckIsReadTwice() {
    // Rows Spark cannot fold into constants, so the optimized plan keeps every expression.
    Dataset<Row> kafka = spark.range(3).selectExpr("CAST(CAST(id AS STRING) AS BINARY) AS key",
        "CAST(CONCAT('{\"a\":', id, '}') AS BINARY) AS value", "'shop.inventory' AS topic", "0 AS partition",
        "id AS offset", "CAST(id AS TIMESTAMP) AS timestamp");

    String plan = BronzeRecords.classify(kafka, 1, 1 << 20).queryExecution().optimizedPlan().toString();

    assertThat(plan.split("from_json", -1)).as(plan).hasSize(2);
    // Once for the key, once for the value.
    assertThat(plan.split("isValid", -1)).as(plan).hasSize(3);
  }

  @Test
  void aKeyThatIsNotUtf8IsUnreadableAndItsBytesAreKept() {
    byte[] key = {(byte) 0xFF, 'k', (byte) 0x80};
    Dataset<Row> kafka = spark.createDataFrame(List.of(
        RowFactory.create(key, utf8("{\"op\":\"c\"}"), "shop.inventory", 0, 7L, new Timestamp(0)),
        RowFactory.create(null, utf8("{\"op\":\"c\"}"), "shop.inventory", 0, 8L, new Timestamp(0))), KAFKA);

    Dataset<Row> classified = BronzeRecords.classify(kafka, 1, 1 << 20);

    assertRows(BronzeRecords.readable(classified), List.of("offset", "key"), List.of(row(8L, null)));
    assertRows(BronzeRecords.unreadable(classified), List.of("offset", "error_class", "error_message", "hex(raw_key)"),
        List.of(row(7L, "NOT_UTF8", "key is not valid UTF-8", "FF6B80")));
  }

  @Test
  void aRecordOverTheSizeLimitIsQuarantinedWholeWithItsSize() {
    byte[] big = utf8("{\"a\":\"" + "x".repeat(92) + "\"}");
    Dataset<Row> kafka = spark.createDataFrame(List.of(
        record("clickstream", 1, big),
        record("clickstream", 2, utf8("{\"a\":\"" + "x".repeat(91) + "\"}"))), KAFKA);

    Dataset<Row> classified = BronzeRecords.classify(kafka, 1, 100);

    assertRows(BronzeRecords.readable(classified), List.of("offset"), List.of(row(2L)));
    assertRows(BronzeRecords.unreadable(classified), List.of("offset", "error_class", "error_message", "length(raw_value)"),
        List.of(row(1L, "TOO_LARGE", "record of 101 bytes (key and value) is over shoplake.sources.max-record-bytes (100)", 100)));
  }
}
