package io.shoplake.core;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.CdcColumns;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Reads of silver tables that gold batch jobs share. */
public final class SilverReads {
  /** The clickstream columns gold jobs use; the table holds more. */
  public static final StructType CLICK_COLUMNS = new StructType()
      .add("session_id", DataTypes.StringType)
      .add("customer_id", DataTypes.LongType)
      .add("product_id", DataTypes.LongType)
      .add("event_type", DataTypes.StringType)
      .add("event_ts", DataTypes.TimestampType);

  private SilverReads() {}

  /** Current rows of a CDC silver table, tombstones left out. */
  public static Dataset<Row> live(SparkSession spark, Tables tables, TableId table) {
    return TableAccess.of(spark, tables).read(table).filter(col(CdcColumns.IS_DELETED).equalTo(false));
  }

  /**
   * {@code silver.clickstream}, or no events where it does not exist yet: behavioural signals
   * are then empty rather than the job failing.
   */
  public static Dataset<Row> clickstream(SparkSession spark, Tables tables) {
    return TableAccess.of(spark, tables).readOrEmpty(Tables.SILVER_CLICKSTREAM, CLICK_COLUMNS).select(
        List.of(CLICK_COLUMNS.fieldNames()).stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
  }

  /** The table, or an empty frame of its schema where no job has written it yet. */
  public static Dataset<Row> orEmpty(SparkSession spark, Tables tables, TableDefinition def) {
    return TableAccess.of(spark, tables).readOrEmpty(def.id(), def.schema());
  }
}
