package io.shoplake.cdc;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Field names and op codes of Debezium's change event envelope, in one place. */
public final class DebeziumEnvelope {
  public static final String BEFORE = "before";
  public static final String AFTER = "after";
  public static final String OP = "op";
  public static final String SOURCE = "source";
  public static final String TS_MS = "ts_ms";
  public static final String SOURCE_LSN = "lsn";
  public static final String SOURCE_TX_ID = "txId";
  public static final String SOURCE_TS_MS = "ts_ms";
  public static final String SOURCE_SNAPSHOT = "snapshot";

  public static final String OP_CREATE = "c";
  public static final String OP_UPDATE = "u";
  public static final String OP_DELETE = "d";
  public static final String OP_READ = "r";
  /** Truncate: carries no row image; not applied per key (see docs). */
  public static final String OP_TRUNCATE = "t";

  private DebeziumEnvelope() {}

  /**
   * Schemaless JSON envelope with every row field read as text, so that a wrong type becomes
   * a readable validation error per column instead of a silently nulled record.
   */
  public static StructType schemalessTextSchema() {
    DataType image = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);
    return new StructType()
        .add(BEFORE, image)
        .add(AFTER, image)
        .add(OP, DataTypes.StringType)
        .add(TS_MS, DataTypes.StringType)
        .add(SOURCE, image);
  }
}
