package io.shoplake.inventory;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.core.CdcColumns;
import io.shoplake.cdc.CdcHistory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Stock at the top of each hour, read from the SCD2 history of silver inventory: the version
 * valid at that instant, so a snapshot taken late (or again) is the same snapshot.
 */
public final class InventorySnapshots {
  public static final StructType SCHEMA = new StructType()
      .add("snapshot_at", DataTypes.TimestampType, false)
      .add("product_id", DataTypes.LongType, false)
      .add("location_id", DataTypes.StringType, false)
      .add("on_hand", DataTypes.IntegerType, true)
      .add("reserved", DataTypes.IntegerType, true)
      .add("available", DataTypes.IntegerType, false);

  private InventorySnapshots() {}

  /**
   * The hours still to snapshot: after the last one taken (or, for an empty table, after the
   * earliest history), up to the last top of the hour that lies {@code delay} in the past —
   * {@code silver.inventory} must have recorded every change before it in the history.
   */
  public static List<Instant> dueHours(Instant lastTaken, Instant earliestHistory, Instant now, Duration delay) {
    List<Instant> hours = new ArrayList<>();
    if (earliestHistory == null) return hours;
    Instant from = lastTaken != null ? lastTaken.plus(1, ChronoUnit.HOURS)
        : earliestHistory.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    Instant until = now.minus(delay).truncatedTo(ChronoUnit.HOURS);
    for (Instant h = from; !h.isAfter(until); h = h.plus(1, ChronoUnit.HOURS)) hours.add(h);
    return hours;
  }

  /** Every live product×location at each hour: the history version valid at that instant. */
  public static Dataset<Row> at(SparkSession spark, Dataset<Row> history, List<Instant> hours) {
    Dataset<Row> instants = spark.createDataset(hours.stream().map(Timestamp::from).toList(), Encoders.TIMESTAMP())
        .toDF("snapshot_at");
    Dataset<Row> valid = history.join(instants,
        col(CdcHistory.VALID_FROM).leq(col("snapshot_at"))
            .and(col(CdcHistory.VALID_TO).isNull().or(col(CdcHistory.VALID_TO).gt(col("snapshot_at")))));
    return valid.filter(col(CdcColumns.IS_DELETED).unary_$bang())
        .select(col("snapshot_at"), col("product_id"), col("location_id"), col("on_hand"), col("reserved"),
            greatest(col("on_hand").minus(col("reserved")), lit(0)).cast("int").as("available"));
  }
}
