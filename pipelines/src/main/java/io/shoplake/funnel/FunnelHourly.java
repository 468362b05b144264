package io.shoplake.funnel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The conversion funnel view → cart → checkout → purchase per channel and hour of session
 * start, counted in sessions. A session reaches a stage when it has an event of that stage or
 * of a later one (a purchase passed through checkout even if the client did not report it, a
 * cart from a listing page without a product view still passed the view stage), so every stage
 * counts at most the sessions of the one before and each rate is between 0 and 1.
 */
public final class FunnelHourly {
  public static final StructType SCHEMA = new StructType()
      .add("hour", DataTypes.TimestampType, false)
      .add("channel", DataTypes.StringType, false)
      .add("sessions", DataTypes.LongType, false)
      .add("viewed", DataTypes.LongType, false)
      .add("carted", DataTypes.LongType, false)
      .add("checked_out", DataTypes.LongType, false)
      .add("purchased", DataTypes.LongType, false)
      .add("view_to_cart", DataTypes.DoubleType, true)
      .add("cart_to_checkout", DataTypes.DoubleType, true)
      .add("checkout_to_purchase", DataTypes.DoubleType, true)
      .add("view_to_purchase", DataTypes.DoubleType, true);

  private FunnelHourly() {}

  /** The hour a session counts in. */
  public static Column hourOf(Column sessionStart) {
    return date_trunc("hour", sessionStart);
  }

  /** Funnel rows from silver.clickstream_sessions rows. */
  public static Dataset<Row> compute(Dataset<Row> sessions) {
    Column stage = when(col("purchases").gt(0), 4).when(col("checkouts").gt(0), 3).when(col("carts").gt(0), 2)
        .when(col("views").gt(0), 1).otherwise(0);
    return sessions
        .withColumn("_stage", stage)
        .groupBy(hourOf(col("session_start")).as("hour"), col("channel"))
        .agg(count(lit(1)).as("sessions"),
            count_if(col("_stage").geq(1)).as("viewed"),
            count_if(col("_stage").geq(2)).as("carted"),
            count_if(col("_stage").geq(3)).as("checked_out"),
            count_if(col("_stage").geq(4)).as("purchased"))
        .withColumn("view_to_cart", rate("carted", "viewed"))
        .withColumn("cart_to_checkout", rate("checked_out", "carted"))
        .withColumn("checkout_to_purchase", rate("purchased", "checked_out"))
        .withColumn("view_to_purchase", rate("purchased", "viewed"))
        .select(java.util.Arrays.stream(SCHEMA.fieldNames()).map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new));
  }

  /** Null when no session reached the earlier stage: no rate, rather than a made-up 0. */
  private static Column rate(String reached, String of) {
    return when(col(of).gt(0), round(col(reached).cast("double").divide(col(of)), 4));
  }
}
