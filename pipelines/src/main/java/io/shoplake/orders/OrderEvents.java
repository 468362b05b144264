package io.shoplake.orders;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.concat;

import io.shoplake.core.BatchConstants;
import io.shoplake.quality.ErrorClass;
import io.shoplake.quality.RowChecks;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Order events as the outbox publishes them ({@code {"eventId","eventType","payload"}}, key =
 * order id): decoded, checked against the event contract, one row per event id.
 */
public final class OrderEvents {
  public static final List<String> TYPES = List.of("OrderCreated", "InventoryReserved", "PaymentConfirmed",
      "OrderShipped", "OrderDelivered", "OrderCancelled");

  public static final StructType SCHEMA = new StructType()
      .add("event_id", DataTypes.StringType, false)
      .add("event_type", DataTypes.StringType, false)
      .add("order_id", DataTypes.LongType, false)
      .add("customer_id", DataTypes.LongType, true)
      .add("status", DataTypes.StringType, true)
      .add("payload", DataTypes.StringType, false)
      .add("published_at", DataTypes.TimestampType, true)
      .add("topic", DataTypes.StringType, false)
      .add("partition", DataTypes.IntegerType, false)
      .add("offset", DataTypes.LongType, false)
      .add("applied_at", DataTypes.TimestampType, false);

  private static final StructType ENVELOPE = new StructType()
      .add("eventId", DataTypes.StringType)
      .add("eventType", DataTypes.StringType)
      // Kept as JSON text: each event type has its own payload, and silver keeps it whole.
      .add("payload", DataTypes.StringType);

  private OrderEvents() {}

  /** Bronze rows → silver columns plus {@code error_class}/{@code error_message} and raw_value. */
  public static Dataset<Row> decode(Dataset<Row> bronze) {
    Column env = from_json(col("value"), ENVELOPE, Map.of("mode", "PERMISSIVE"));
    Column payload = col("_env.payload");
    // A column of its own, so the payload is searched for the order id once, not by the check and the output each.
    Dataset<Row> parsed = bronze.withColumn("_env", env).withColumn("_order_id",
        coalesce(get_json_object(payload, "$.orderId"), col("key")).try_cast(DataTypes.LongType));
    Column orderId = col("_order_id");
    Column eventType = col("_env.eventType");
    RowChecks checks = new RowChecks()
        .require(col("_env").isNotNull().and(col("_env.eventId").isNotNull()), ErrorClass.MISSING_FIELD, "event without eventId")
        .require(payload.isNotNull(), ErrorClass.MISSING_FIELD, "event without payload")
        .require(eventType.isin(TYPES.toArray()), ErrorClass.UNKNOWN_EVENT_TYPE, concat(lit("unknown eventType '"),
            coalesce(eventType, lit("null")), lit("'; known: " + String.join(", ", TYPES))))
        .require(orderId.isNotNull(), ErrorClass.NULL_KEY, "no order id in payload.orderId or the Kafka key");
    return checks.evaluated(parsed).select(
        col("_env.eventId").as("event_id"),
        col("_env.eventType").as("event_type"),
        orderId.as("order_id"),
        get_json_object(payload, "$.customerId").try_cast(DataTypes.LongType).as("customer_id"),
        get_json_object(payload, "$.status").as("status"),
        payload.as("payload"),
        col("kafka_timestamp").as("published_at"),
        col("topic"), col("partition"), col("offset"),
        BatchConstants.now().as("applied_at"),
        col("key"),
        col("value").cast("binary").as("raw_value"),
        checks.errorClass().as("error_class"),
        checks.errorMessage().as("error_message"));
  }

  /** Valid events, first occurrence per event id in the batch (Debezium may deliver twice). */
  public static Dataset<Row> firstPerEvent(Dataset<Row> decoded) {
    return decoded.filter(col("error_class").isNull())
        .withColumn("_rank", row_number().over(Window.partitionBy("event_id").orderBy(col("offset"))))
        .filter(col("_rank").equalTo(1))
        .select(java.util.Arrays.stream(SCHEMA.fieldNames()).map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new));
  }
}
