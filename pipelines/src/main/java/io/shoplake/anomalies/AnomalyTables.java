package io.shoplake.anomalies;

import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The tables {@code ops.anomalies} writes. */
public final class AnomalyTables {
  /** One row per signal, subject and bucket that a batch counted something in; a bucket's count is the sum of its rows. */
  public static final TableDefinition COUNTS = TableDefinition.of(Tables.ANOMALY_COUNTS, new StructType()
      .add("signal", DataTypes.StringType, false)
      .add("subject", DataTypes.StringType, false)
      .add("bucket_start", DataTypes.TimestampType, false)
      .add("n", DataTypes.LongType, false)
      .add("batch_id", DataTypes.LongType, false));

  /** One row per transition: an incident {@code OPENED}, later the same {@code alert_id} {@code RESOLVED}. */
  public static final TableDefinition ALERTS = TableDefinition.of(Tables.ALERTS, new StructType()
      .add("alert_id", DataTypes.StringType, false)
      .add("state", DataTypes.StringType, false)
      .add("check", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("subject", DataTypes.StringType, false)
      .add("opened_bucket", DataTypes.TimestampType, false)
      .add("bucket", DataTypes.TimestampType, false)
      .add("observed", DataTypes.DoubleType, false)
      .add("expected", DataTypes.DoubleType, false)
      .add("message", DataTypes.StringType, false)
      .add("detected_at", DataTypes.TimestampType, false)
      .add("batch_id", DataTypes.LongType, false));

  private AnomalyTables() {}
}
