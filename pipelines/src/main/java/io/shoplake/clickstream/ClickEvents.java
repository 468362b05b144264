package io.shoplake.clickstream;

import static io.shoplake.quality.ErrorClass.BAD_TIMESTAMP;
import static io.shoplake.quality.ErrorClass.FUTURE_EVENT;
import static io.shoplake.quality.ErrorClass.LATE_EVENT;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.shoplake.quality.RowChecks;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Bronze clickstream records decoded into silver columns, each checked against the contract and the late policy. */
public final class ClickEvents {

  /** silver.clickstream. Other jobs (segments, pricing, funnel) build on these exact columns. */
  public static final StructType SCHEMA = new StructType()
      .add("event_id", DataTypes.StringType, false)
      .add("session_id", DataTypes.StringType, false)
      .add("client_session_id", DataTypes.StringType, false)
      .add("customer_id", DataTypes.LongType, true)
      .add("product_id", DataTypes.LongType, true)
      .add("event_type", DataTypes.StringType, false)
      .add("channel", DataTypes.StringType, false)
      .add("event_ts", DataTypes.TimestampType, false)
      .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
      .add("_topic", DataTypes.StringType, false)
      .add("_partition", DataTypes.IntegerType, false)
      .add("_offset", DataTypes.LongType, false)
      .add("_ingested_at", DataTypes.TimestampType, false);

  private static final StructType EVENT = new StructType()
      .add("event_id", DataTypes.StringType)
      .add("session_id", DataTypes.StringType)
      .add("customer_id", DataTypes.LongType)
      .add("product_id", DataTypes.LongType)
      .add("event_type", DataTypes.StringType)
      .add("channel", DataTypes.StringType)
      .add("ts", DataTypes.StringType)
      .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  private static final StructType VIOLATION = new StructType()
      .add("error_class", DataTypes.StringType)
      .add("error_message", DataTypes.StringType);

  private ClickEvents() {}

  /**
   * Bronze rows → silver columns (without session_id), plus {@code key}, {@code raw_value},
   * {@code error_class}/{@code error_message} (null when the event is accepted), and
   * {@code _dedupe_key}, what the stream deduplicates on.
   */
  public static Dataset<Row> decode(Dataset<Row> bronze, ClickEventContract contract, ClickstreamSettings settings) {
    Column event = from_json(col("value"), EVENT, Map.of("mode", "PERMISSIVE"));
    // X reads the literal Z as UTC whatever the session time zone.
    Column eventTs = to_timestamp(col("_e.ts"), "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    Column ingested = col("ingest_time");
    // Kafka's record time is when the event reached the log: how late the client delivered
    // it, whatever the pipeline's own delays (a scheduled run, an outage, a replay).
    Column arrived = coalesce(col("kafka_timestamp"), ingested);
    Column lateBy = millis(arrived).minus(millis(col("event_ts")));
    RowChecks policy = new RowChecks()
        .require(col("event_ts").isNotNull(), BAD_TIMESTAMP, concat(lit("'ts' is not a valid time: "),
            coalesce(col("_e.ts"), lit("null"))))
        .require(lateBy.leq(settings.allowedLatenessMillis()), LATE_EVENT, concat(lit("event of "),
            col("event_ts").cast("string"), lit(" reached Kafka at "), arrived.cast("string"), lit(", "),
            lateBy.cast("string"), lit(" ms later; shoplake.clickstream.allowed-lateness is "
                + settings.allowedLatenessMillis() + " ms")))
        .require(lateBy.geq(-settings.maxClockSkewMillis()), FUTURE_EVENT, concat(lit("event of "),
            col("event_ts").cast("string"), lit(" is ahead of its arrival at "), arrived.cast("string"),
            lit(" by more than shoplake.clickstream.max-clock-skew (" + settings.maxClockSkewMillis() + " ms)")));

    Dataset<Row> checked = bronze
        .withColumn("_v", violation(contract).apply(col("value")))
        .withColumn("_e", when(col("_v").isNull(), event))
        .withColumn("event_ts", eventTs);
    Column errorClass = coalesce(col("_v.error_class"), policy.errorClass());
    Column errorMessage = coalesce(col("_v.error_message"), policy.errorMessage());
    Column accepted = errorClass.isNull();
    return policy.evaluated(checked).select(
        col("_e.event_id").as("event_id"),
        col("_e.session_id").as("client_session_id"),
        col("_e.customer_id").as("customer_id"),
        col("_e.product_id").as("product_id"),
        col("_e.event_type").as("event_type"),
        col("_e.channel").as("channel"),
        col("event_ts"),
        col("_e.attributes").as("attributes"),
        col("topic").as("_topic"),
        col("partition").as("_partition"),
        col("offset").as("_offset"),
        ingested.as("_ingested_at"),
        col("key"),
        col("value").cast("binary").as("raw_value"),
        errorClass.as("error_class"),
        errorMessage.as("error_message"),
        // A rejected record is unique by its Kafka coordinates: resends of it are all quarantined.
        when(accepted, col("_e.event_id"))
            .otherwise(concat_ws("/", lit("rejected"), col("topic"), col("partition"), col("offset")))
            .as("_dedupe_key"));
  }

  /** The silver columns, in table order, from a dataset that has them all. */
  public static Column[] silverColumns() {
    return Arrays.stream(SCHEMA.fieldNames()).map(functions::col).toArray(Column[]::new);
  }

  private static Column millis(Column ts) {
    return call_function("unix_millis", ts);
  }

  private static UserDefinedFunction violation(ClickEventContract contract) {
    return functions.udf((UDF1<String, Row>) value -> {
      ClickEventContract.Violation v = contract.check(value);
      return v == null ? null : RowFactory.create(v.errorClass(), v.message());
    }, VIOLATION);
  }

}
