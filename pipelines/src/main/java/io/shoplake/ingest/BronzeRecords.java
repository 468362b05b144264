package io.shoplake.ingest;

import static io.shoplake.quality.ErrorClass.MALFORMED_JSON;
import static io.shoplake.quality.ErrorClass.NOT_UTF8;
import static io.shoplake.quality.ErrorClass.TOO_LARGE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.BatchConstants;
import io.shoplake.quality.RowChecks;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Turns Kafka records into bronze rows, marking those that cannot be read with a reason. */
public final class BronzeRecords {
  /** Bronze table schema: the raw record and its Kafka coordinates. */
  public static final StructType SCHEMA = new StructType()
      .add("key", DataTypes.StringType, true)
      .add("value", DataTypes.StringType, true)
      .add("topic", DataTypes.StringType, false)
      .add("partition", DataTypes.IntegerType, false)
      .add("offset", DataTypes.LongType, false)
      .add("kafka_timestamp", DataTypes.TimestampType, true)
      .add("ingest_time", DataTypes.TimestampType, false)
      .add("batch_id", DataTypes.LongType, false);

  private BronzeRecords() {}

  /**
   * Adds {@code error_class}/{@code error_message} (null when readable) and the bronze
   * columns. A null value is a Kafka tombstone and is kept: it is part of the CDC contract.
   * Bronze holds key and value as text, so a key that is not UTF-8 is unreadable too: as text it
   * would no longer be the key Kafka partitioned by. {@code raw_key} and {@code raw_value} keep
   * an unreadable record's bytes for the quarantine; a readable record is kept as text only, so
   * a batch held for several writes holds each record once. A record over {@code
   * maxRecordBytes} (key and value) goes no further than that either.
   */
  public static Dataset<Row> classify(Dataset<Row> kafka, long batchId, long maxRecordBytes) {
    Column value = col("value");
    Column text = value.cast("string");
    Column asObject = from_json(text, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
        java.util.Map.of("mode", "PERMISSIVE"));
    // A null value is a Kafka tombstone and is readable: it is part of the CDC contract.
    Column key = col("key");
    Column size = functions.coalesce(functions.octet_length(key), lit(0))
        .plus(functions.coalesce(functions.octet_length(value), lit(0)));
    Column fits = size.leq(maxRecordBytes);
    Column keyIsText = key.isNull().or(functions.call_function("is_valid_utf8", key));
    Column valueIsText = value.isNull().or(functions.call_function("is_valid_utf8", value));
    RowChecks checks = new RowChecks()
        .require(fits, TOO_LARGE, functions.concat(lit("record of "), size.cast("string"),
            lit(" bytes (key and value) is over shoplake.sources.max-record-bytes (" + maxRecordBytes + ")")))
        .require(keyIsText, NOT_UTF8, "key is not valid UTF-8")
        .require(valueIsText, NOT_UTF8, "value is not valid UTF-8")
        .require(value.isNull().or(asObject.isNotNull()), MALFORMED_JSON,
            functions.concat(lit("value is not a JSON object: "), functions.substring(text, 1, 200)));
    Column unreadable = col("error_class").isNotNull();
    // Each check runs once, and only on a record that passed those before it: a record over the
    // size limit is not scanned for UTF-8, nor one that is not UTF-8 parsed.
    return checks.evaluated(kafka)
        .withColumn("error_class", checks.errorClass())
        .withColumn("error_message", checks.errorMessage())
        .select(
            key.cast("string").as("key"),
            when(unreadable, key).as("raw_key"),
            when(not(unreadable), text).as("value"),
            when(unreadable, value).as("raw_value"),
            col("topic"),
            col("partition"),
            col("offset"),
            col("timestamp").as("kafka_timestamp"),
            BatchConstants.now().as("ingest_time"),
            BatchConstants.of(batchId).as("batch_id"),
            col("error_class"),
            col("error_message"));
  }

  /** The bronze columns of readable rows. */
  public static Dataset<Row> readable(Dataset<Row> classified) {
    return classified.filter(col("error_class").isNull())
        .select(java.util.Arrays.stream(SCHEMA.fieldNames()).map(functions::col).toArray(Column[]::new));
  }

  public static Dataset<Row> unreadable(Dataset<Row> classified) {
    return classified.filter(col("error_class").isNotNull());
  }
}
