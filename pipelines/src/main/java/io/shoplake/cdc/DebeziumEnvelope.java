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

  /** Connect schema names of logical types the decoder converts. */
  public static final String DECIMAL = "org.apache.kafka.connect.data.Decimal";
  public static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
  public static final String MILLI_TIMESTAMP = "io.debezium.time.Timestamp";
  public static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
  public static final String DATE = "io.debezium.time.Date";

  /**
   * Either JSON shape Debezium writes: schemaless (the envelope itself) or with schemas
   * ({@code {"schema": ..., "payload": <envelope>}}); of the schema only what typing a row
   * image needs is read: per image field its type, logical type name and parameters.
   */
  public static StructType jsonSchema() {
    StructType fieldSchema = new StructType()
        .add("field", DataTypes.StringType)
        .add("type", DataTypes.StringType)
        .add("name", DataTypes.StringType)
        .add("parameters", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    StructType envelopeSchema = new StructType().add("fields", DataTypes.createArrayType(new StructType()
        .add("field", DataTypes.StringType)
        .add("fields", DataTypes.createArrayType(fieldSchema))));
    StructType envelope = schemalessTextSchema();
    StructType both = new StructType().add("schema", envelopeSchema).add("payload", envelope);
    for (var f : envelope.fields()) both = both.add(f);
    return both;
  }

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
