package io.shoplake.quality;

import static org.apache.spark.sql.functions.lit;

import io.shoplake.core.BatchConstants;
import io.shoplake.core.DeltaWrites;
import io.shoplake.core.LostCheckpoint;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quarantine record: where it came from (stage, Kafka coordinates), the raw bytes, an
 * error class a program can group by, and a message a person can act on.
 */
public final class Quarantine {
  public static final StructType SCHEMA = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("source_table", DataTypes.StringType, true)
      .add("topic", DataTypes.StringType, true)
      .add("partition", DataTypes.IntegerType, true)
      .add("offset", DataTypes.LongType, true)
      .add("key", DataTypes.StringType, true)
      .add("raw_value", DataTypes.BinaryType, true)
      .add("error_class", DataTypes.StringType, false)
      .add("error_message", DataTypes.StringType, false)
      .add("batch_id", DataTypes.LongType, false)
      .add("quarantined_at", DataTypes.TimestampType, false)
      // When the record reached Kafka, where the rejected rows still carry it (ingest's do).
      .add("kafka_timestamp", DataTypes.TimestampType, true)
      // The record's key as Kafka held it: {@code key} is its text, which loses bytes that are not UTF-8.
      .add("raw_key", DataTypes.BinaryType, true);

  private Quarantine() {}

  /**
   * Quarantines rejected rows, once per (stage, batch): a replayed micro-batch writes nothing
   * twice. The rows must carry topic, partition, offset, key, raw_value, error_class and
   * error_message, and may carry kafka_timestamp and raw_key (else the key's text as bytes). A
   * null {@code source} means the records came straight from Kafka, before any table.
   */
  public static final io.shoplake.core.TableDefinition TABLE =
      io.shoplake.core.TableDefinition.of(Tables.QUARANTINE, SCHEMA);

  public static void append(Tables tables, Dataset<Row> rejected, String stage, TableId source, long batchId) {
    DeltaWrites.appendOnce(records(rejected, stage, source, batchId), tables, Tables.QUARANTINE, writer(stage), batchId);
  }

  /** The quarantine rows a stage appends. */
  public static LostCheckpoint.Appended appendedBy(Tables tables, String stage) {
    return new LostCheckpoint.Appended(Tables.QUARANTINE, writer(stage));
  }

  private static DeltaWrites.Writer writer(String stage) {
    return DeltaWrites.Writer.rowsWhere("stage", stage);
  }

  private static Dataset<Row> records(Dataset<Row> rejected, String stage, TableId source, long batchId) {
    Column sourceTable = source == null ? lit(null).cast("string") : lit(source.toString());
    return rejected.select(
        lit(stage).as("stage"),
        sourceTable.as("source_table"),
        rejected.col("topic"),
        rejected.col("partition"),
        rejected.col("offset"),
        rejected.col("key"),
        rejected.col("raw_value"),
        rejected.col("error_class"),
        rejected.col("error_message"),
        BatchConstants.of(batchId).as("batch_id"),
        BatchConstants.now().as("quarantined_at"),
        (has(rejected, "kafka_timestamp") ? rejected.col("kafka_timestamp") : lit(null).cast("timestamp"))
            .as("kafka_timestamp"),
        (has(rejected, "raw_key") ? rejected.col("raw_key") : rejected.col("key").cast("binary")).as("raw_key"));
  }

  private static boolean has(Dataset<Row> rows, String column) {
    return java.util.Arrays.asList(rows.columns()).contains(column);
  }
}
