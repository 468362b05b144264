package io.shoplake.orders;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * An order's lifecycle folded from its events: when it reached each stage, and its status.
 * Every column is a commutative, idempotent fold (earliest time per stage, first non-null
 * attribute), and the status follows from the stages reached, not from arrival order. So
 * folding the events in any batches, in any order, with replays, gives the same row as
 * folding them all at once: the table can always be rebuilt from {@code silver.order_events}.
 */
public final class OrderLifecycle {
  /** Stage columns by event type, in lifecycle order; the status is the furthest stage reached. */
  private static final Map<String, String> STAGES = new LinkedHashMap<>();
  private static final Map<String, String> STATUS = new LinkedHashMap<>();

  static {
    STAGES.put("OrderCreated", "created_at");
    STAGES.put("InventoryReserved", "reserved_at");
    STAGES.put("PaymentConfirmed", "paid_at");
    STAGES.put("OrderShipped", "shipped_at");
    STAGES.put("OrderDelivered", "delivered_at");
    STAGES.put("OrderCancelled", "cancelled_at");
    STATUS.put("created_at", "created");
    STATUS.put("reserved_at", "created");
    STATUS.put("paid_at", "paid");
    STATUS.put("shipped_at", "shipped");
    STATUS.put("delivered_at", "delivered");
    STATUS.put("cancelled_at", "cancelled");
  }

  public static final StructType SCHEMA = schema();

  private static StructType schema() {
    StructType s = new StructType()
        .add("order_id", DataTypes.LongType, false)
        .add("customer_id", DataTypes.LongType, true)
        .add("channel", DataTypes.StringType, true)
        .add("total", DataTypes.createDecimalType(12, 2), true)
        .add("status", DataTypes.StringType, false);
    for (String stage : STAGES.values()) s = s.add(stage, DataTypes.TimestampType, true);
    return s.add("last_event_at", DataTypes.TimestampType, true);
  }

  private OrderLifecycle() {}

  /** One row per order from a set of its events (silver.order_events rows). */
  public static Dataset<Row> fold(Dataset<Row> events) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(min(col("customer_id")).as("customer_id"));
    aggs.add(min(get_json_object(col("payload"), "$.channel")).as("channel"));
    aggs.add(min(when(col("event_type").equalTo("OrderCreated"),
        get_json_object(col("payload"), "$.total").try_cast(DataTypes.createDecimalType(12, 2)))).as("total"));
    STAGES.forEach((type, stage) -> aggs.add(min(when(col("event_type").equalTo(type), col("published_at"))).as(stage)));
    aggs.add(max(col("published_at")).as("last_event_at"));
    Dataset<Row> folded = events.groupBy(col("order_id"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    return folded.select(columns(folded));
  }

  /** Status from the stages reached, furthest first. */
  static Column status(java.util.function.Function<String, Column> stage) {
    Column status = lit("unknown");
    for (Map.Entry<String, String> s : STATUS.entrySet()) {
      status = when(stage.apply(s.getKey()).isNotNull(), lit(s.getValue())).otherwise(status);
    }
    return status;
  }

  private static Column[] columns(Dataset<Row> folded) {
    List<Column> out = new ArrayList<>();
    for (String f : SCHEMA.fieldNames()) out.add(f.equals("status") ? status(folded::col).as("status") : folded.col(f));
    return out.toArray(Column[]::new);
  }

  /** MERGE assignments combining a stored row (t) with a newly folded one (s). */
  static Map<String, String> combine() {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("customer_id", "coalesce(t.customer_id, s.customer_id)");
    set.put("channel", "coalesce(t.channel, s.channel)");
    set.put("total", "coalesce(t.total, s.total)");
    for (String stage : STAGES.values()) set.put(stage, "least(t." + stage + ", s." + stage + ")");
    set.put("last_event_at", "greatest(t.last_event_at, s.last_event_at)");
    String status = "'unknown'";
    for (Map.Entry<String, String> s : STATUS.entrySet()) {
      status = "CASE WHEN " + set.get(s.getKey()) + " IS NOT NULL THEN '" + s.getValue() + "' ELSE " + status + " END";
    }
    set.put("status", status);
    return set;
  }
}
