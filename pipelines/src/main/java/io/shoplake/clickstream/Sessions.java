package io.shoplake.clickstream;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Sessions: a client session split wherever its events are at least the session gap apart.
 * The n-th piece (by time, from 1) is {@code <client_session_id>#<n>}.
 */
public final class Sessions {
  /** silver.clickstream_sessions: one row per session. */
  public static final StructType SCHEMA = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("client_session_id", DataTypes.StringType, false)
      .add("customer_id", DataTypes.LongType, true)
      .add("channel", DataTypes.StringType, false)
      .add("session_start", DataTypes.TimestampType, false)
      .add("session_end", DataTypes.TimestampType, false)
      .add("events", DataTypes.LongType, false)
      .add("views", DataTypes.LongType, false)
      .add("carts", DataTypes.LongType, false)
      .add("checkouts", DataTypes.LongType, false)
      .add("purchases", DataTypes.LongType, false);

  private Sessions() {}

  /**
   * Adds {@code session_id} to every event. It must be given all events of each client
   * session it sees: a piece's number depends on the pieces before it, and a late event can
   * bridge two pieces into one.
   */
  public static Dataset<Row> assign(Dataset<Row> events, long gapMillis) {
    WindowSpec byTime = Window.partitionBy("client_session_id").orderBy(col("event_ts"), col("event_id"));
    Column gap = millis(col("event_ts")).minus(millis(lag(col("event_ts"), 1).over(byTime)));
    Column starts = when(gap.isNull().or(gap.geq(gapMillis)), 1).otherwise(0);
    return events
        .withColumn("_starts", starts)
        .withColumn("_n", sum(col("_starts")).over(byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .withColumn("session_id", concat(col("client_session_id"), lit("#"), col("_n").cast("string")))
        .drop("_starts", "_n");
  }

  /** One row per session from its events (each carrying session_id). */
  public static Dataset<Row> summarize(Dataset<Row> assigned) {
    return assigned.groupBy("session_id", "client_session_id").agg(
        // A visitor may sign in mid-session: the session belongs to the customer it shows.
        max("customer_id").as("customer_id"),
        call_function("min_by", col("channel"), col("event_ts")).as("channel"),
        min("event_ts").as("session_start"),
        max("event_ts").as("session_end"),
        count(lit(1)).as("events"),
        countOf("view").as("views"),
        countOf("add_to_cart").as("carts"),
        countOf("checkout").as("checkouts"),
        countOf("purchase").as("purchases"));
  }

  private static Column countOf(String eventType) {
    return count_if(col("event_type").equalTo(eventType));
  }

  private static Column millis(Column ts) {
    return call_function("unix_millis", ts);
  }
}
