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
    return bothShapes(schemalessTextSchema());
  }

  /**
   * {@link #jsonSchema()} without the before image. Spark's JSON reader re-serialises every
   * non-string value it reads as text, so an image costs a JSON generator per number; only
   * deletes need the before image, read apart with {@link #beforeImageSchema()}.
   */
  public static StructType jsonSchemaWithoutBefore() {
    StructType envelope = new StructType();
    for (var f : schemalessTextSchema().fields()) if (!f.name().equals(BEFORE)) envelope = envelope.add(f);
    return bothShapes(envelope);
  }

  /** Only the before image, in either JSON shape. */
  public static StructType beforeImageSchema() {
    StructType before = new StructType().add(schemalessTextSchema().apply(BEFORE));
    return new StructType().add("payload", before).add(BEFORE, before.apply(BEFORE).dataType());
  }

  private static StructType bothShapes(StructType envelope) {
    StructType fieldSchema = new StructType()
        .add("field", DataTypes.StringType)
        .add("type", DataTypes.StringType)
        .add("name", DataTypes.StringType)
        .add("parameters", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    StructType envelopeSchema = new StructType().add("fields", DataTypes.createArrayType(new StructType()
        .add("field", DataTypes.StringType)
        .add("fields", DataTypes.createArrayType(fieldSchema))));
    StructType both = new StructType().add("schema", envelopeSchema).add("payload", envelope);
    for (var f : envelope.fields()) both = both.add(f);
    return both;
  }

  /**
   * Schemaless JSON envelope with every row field read as text, so that a wrong type becomes
   * a readable validation error per column instead of a silently nulled record. Of the source
   * block only what the decoder uses, typed: a field that is not a number reads as null on its
   * own (Spark keeps the rest of the record) and the change is refused for it.
   */
  public static StructType schemalessTextSchema() {
    DataType image = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);
    StructType source = new StructType()
        .add(SOURCE_LSN, DataTypes.LongType)
        .add(SOURCE_TX_ID, DataTypes.LongType)
        .add(SOURCE_TS_MS, DataTypes.LongType)
        // Text: older Debezium versions wrote a boolean, newer ones "true", "last", "incremental".
        .add(SOURCE_SNAPSHOT, DataTypes.StringType);
    return new StructType()
        .add(BEFORE, image)
        .add(AFTER, image)
        .add(OP, DataTypes.StringType)
        .add(SOURCE, source);
  }
}
