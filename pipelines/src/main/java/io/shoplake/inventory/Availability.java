package io.shoplake.inventory;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.BatchConstants;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Available-to-promise: what can still be sold, per product×location and per product. */
public final class Availability {
  public static final StructType LOCATION_SCHEMA = new StructType()
      .add("product_id", DataTypes.LongType, false)
      .add("location_id", DataTypes.StringType, false)
      .add("on_hand", DataTypes.IntegerType, true)
      .add("reserved", DataTypes.IntegerType, true)
      .add("available", DataTypes.IntegerType, false)
      .add("is_deleted", DataTypes.BooleanType, false)
      // Source LSN of the inventory change behind this value: the serving version.
      .add("version", DataTypes.LongType, false)
      .add("source_ts", DataTypes.TimestampType, true)
      .add("updated_at", DataTypes.TimestampType, false);

  public static final StructType PRODUCT_SCHEMA = new StructType()
      .add("product_id", DataTypes.LongType, false)
      .add("available", DataTypes.LongType, false)
      .add("on_hand", DataTypes.LongType, false)
      .add("reserved", DataTypes.LongType, false)
      .add("locations", DataTypes.LongType, false)
      .add("version", DataTypes.LongType, false)
      .add("source_ts", DataTypes.TimestampType, true)
      .add("updated_at", DataTypes.TimestampType, false);

  private Availability() {}

  /**
   * From inventory row images (silver rows, or the newest accepted change per key): available
   * = on hand − reserved, never negative; a deleted row promises nothing.
   */
  public static Dataset<Row> perLocation(Dataset<Row> inventory) {
    return inventory.select(
        col("product_id"),
        col("location_id"),
        col("on_hand"),
        col("reserved"),
        when(col(CdcColumns.IS_DELETED), lit(0))
            .otherwise(greatest(col("on_hand").minus(col("reserved")), lit(0))).cast("int").as("available"),
        col(CdcColumns.IS_DELETED).as("is_deleted"),
        col(CdcColumns.LSN).as("version"),
        col(CdcColumns.SOURCE_TS).as("source_ts"),
        BatchConstants.now().as("updated_at"));
  }

  /** Totals per product over its locations (deleted locations count as zero). */
  public static Dataset<Row> perProduct(Dataset<Row> locations) {
    Dataset<Row> live = locations.withColumn("_live", when(col("is_deleted"), lit(0)).otherwise(lit(1)));
    return live.groupBy("product_id").agg(
            sum("available").cast("long").as("available"),
            sum(when(col("is_deleted"), lit(0)).otherwise(col("on_hand"))).cast("long").as("on_hand"),
            sum(when(col("is_deleted"), lit(0)).otherwise(col("reserved"))).cast("long").as("reserved"),
            sum("_live").cast("long").as("locations"),
            max("version").as("version"),
            max("source_ts").as("source_ts"))
        .withColumn("updated_at", BatchConstants.now());
  }

}
