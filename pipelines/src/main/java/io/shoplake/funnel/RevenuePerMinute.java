package io.shoplake.funnel;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.shoplake.core.CdcColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Booked revenue per minute of order creation and channel, from silver.orders: every order
 * that exists and is not cancelled, at its current total. Orders are the system of record for
 * money (every channel, including those without clickstream); the clickstream's purchase event
 * is what a client reported, and can be missing, late or quarantined.
 */
public final class RevenuePerMinute {
  public static final StructType SCHEMA = new StructType()
      .add("minute", DataTypes.TimestampType, false)
      .add("channel", DataTypes.StringType, false)
      .add("orders", DataTypes.LongType, false)
      .add("revenue", DataTypes.createDecimalType(14, 2), false);

  /** Orders without a channel are counted under this one, so no revenue is left out. */
  public static final String UNKNOWN_CHANNEL = "unknown";

  private RevenuePerMinute() {}

  public static Column minuteOf(Column createdAt) {
    return date_trunc("minute", createdAt);
  }

  public static Column channelOf(Column channel) {
    return coalesce(channel, lit(UNKNOWN_CHANNEL));
  }

  /** Revenue rows from silver.orders rows. */
  public static Dataset<Row> compute(Dataset<Row> orders) {
    return orders
        .filter(col(CdcColumns.IS_DELETED).equalTo(false).and(col("status").notEqual("cancelled"))
            .and(col("created_at").isNotNull()))
        .groupBy(minuteOf(col("created_at")).as("minute"), channelOf(col("channel")).as("channel"))
        .agg(count(lit(1)).as("orders"), sum("total").cast(DataTypes.createDecimalType(14, 2)).as("revenue"))
        .select("minute", "channel", "orders", "revenue");
  }
}
