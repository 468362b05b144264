package io.shoplake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.udf;

import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code quality.erasures}: every erasure, by the customer's reference (never the id), when, what
 * it changed in each table, and which Kafka records it deleted or cleared in bronze (stage null)
 * and in the quarantine (the stage that quarantined them), so that the checks that count records
 * (bronze = Kafka, every record in one place downstream) accept the gap. An erasure appends a {@code started} row before it changes anything (the
 * serving jobs leave the customer out from then on) and an {@code erased} row once done.
 */
public final class Erasures {
  public static final String STARTED = "started";
  public static final String ERASED = "erased";
  public static final String DELETED = "deleted";
  public static final String CLEARED = "cleared";

  // Delta allows no NOT NULL inside an array: every field of these elements is nullable.
  static final StructType TABLE_CHANGE = new StructType()
      .add("table", DataTypes.StringType, true)
      .add("action", DataTypes.StringType, true)
      .add("rows", DataTypes.LongType, true);
  static final StructType RECORD = new StructType()
      .add("stage", DataTypes.StringType, true)
      .add("topic", DataTypes.StringType, true)
      .add("partition", DataTypes.IntegerType, true)
      .add("offset", DataTypes.LongType, true)
      .add("action", DataTypes.StringType, true);
  public static final StructType SCHEMA = new StructType()
      .add("erasure_id", DataTypes.StringType, false)
      .add("customer_ref", DataTypes.StringType, false)
      .add("phase", DataTypes.StringType, false)
      .add("at", DataTypes.TimestampType, false)
      .add("tables", new ArrayType(TABLE_CHANGE, false), false)
      .add("records", new ArrayType(RECORD, false), false);
  public static final TableDefinition TABLE = TableDefinition.of(Tables.ERASURES, SCHEMA);

  /** What one table's erasure did: {@code action} is {@link #DELETED} or {@link #CLEARED}. */
  public record TableChange(String table, String action, long rows) {}

  /**
   * A Kafka record whose row was deleted or had the customer cleared: in bronze when {@code stage}
   * is null, else in the quarantine, where {@code stage} had put it.
   */
  public record RecordChange(String stage, String topic, int partition, long offset, String action) {}

  private Erasures() {}

  public static void append(TableAccess access, Tables tables, String erasureId, ErasedCustomer customer, String phase,
      List<TableChange> changed, List<RecordChange> records) {
    TableBootstrap.ensure(access.spark(), tables, List.of(TABLE));
    Row row = RowFactory.create(erasureId, customer.ref(), phase, Timestamp.from(Instant.now()),
        changed.stream().map(c -> RowFactory.create(c.table(), c.action(), c.rows())).toList(),
        records.stream().map(r -> RowFactory.create(r.stage(), r.topic(), r.partition(), r.offset(), r.action())).toList());
    access.append(Tables.ERASURES, access.spark().createDataFrame(List.of(row), SCHEMA));
  }

  /** The references of every customer an erasure began for. */
  public static Dataset<Row> customerRefs(TableAccess access) {
    return access.readOrEmpty(Tables.ERASURES, SCHEMA).select("customer_ref").distinct();
  }

  /**
   * {@code rows} without those whose {@code column} (a customer id) names a customer an erasure
   * began for. Reads {@code quality.erasures}; with none there, {@code keyedHash} is never asked for.
   */
  public static Dataset<Row> withoutErased(TableAccess access, Dataset<Row> rows, String column,
      Supplier<ErasedCustomer.KeyedHash> keyedHash) {
    Dataset<Row> refs = customerRefs(access).localCheckpoint();
    if (refs.isEmpty()) return rows;
    ErasedCustomer.KeyedHash hash = keyedHash.get();
    UserDefinedFunction ref = udf((UDF1<Long, String>) id -> id == null ? null : ErasedCustomer.ref(id, hash),
        DataTypes.StringType);
    return rows.join(broadcast(refs), ref.apply(col(column)).equalTo(refs.col("customer_ref")), "left_anti");
  }

  /**
   * (stage, topic, partition, offset) of the Kafka records erasures deleted: from bronze where
   * {@code stage} is null, else from the quarantine rows of that stage.
   */
  public static Dataset<Row> deletedRecords(TableAccess access) {
    return access.readOrEmpty(Tables.ERASURES, SCHEMA).select(explode(col("records")).as("r"))
        .filter(col("r.action").equalTo(DELETED))
        .select(col("r.stage").as("stage"), col("r.topic").as("topic"), col("r.partition").as("partition"),
            col("r.offset").as("offset"))
        .distinct();
  }
}
