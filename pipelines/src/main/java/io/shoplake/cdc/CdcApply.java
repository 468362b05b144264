package io.shoplake.cdc;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.row_number;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Applies decoded changes to a silver table in source order. Idempotent: a change is applied
 * only if its LSN is above the one the row holds, so replays and duplicates change nothing.
 */
public final class CdcApply {
  private CdcApply() {}

  /**
   * Keeps the last change per key. Ties on LSN cannot happen between two changes of one row
   * in PostgreSQL; the Kafka offset breaks them for duplicates Debezium re-sent after a crash.
   */
  public static Dataset<Row> latestPerKey(Dataset<Row> changes, CdcTableSpec spec) {
    Column[] keys = spec.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return changes
        .withColumn("_rank", row_number().over(Window.partitionBy(keys)
            .orderBy(col(CdcColumns.LSN).desc(), col("offset").desc())))
        .filter(col("_rank").equalTo(1))
        .drop("_rank");
  }

  /**
   * Rows shaped like the silver table: a delete becomes a tombstone holding its last values,
   * and personal columns carry pseudonyms, never raw values.
   */
  public static Dataset<Row> asSilverRows(Dataset<Row> latest, CdcTableSpec spec, Pseudonymizer pseudonymizer) {
    List<Column> cols = new ArrayList<>();
    for (CdcTableSpec.Column c : spec.columns()) {
      cols.add(spec.pseudonymised().contains(c.name()) ? pseudonymizer.apply(col(c.name())).as(c.name()) : col(c.name()));
    }
    cols.add(col(CdcColumns.OP).equalTo(DebeziumEnvelope.OP_DELETE).as(CdcColumns.IS_DELETED));
    cols.add(col(CdcColumns.LSN));
    cols.add(col(CdcColumns.SOURCE_TS));
    cols.add(current_timestamp().as(CdcColumns.APPLIED_AT));
    return latest.select(cols.toArray(Column[]::new));
  }

  public static void merge(SparkSession spark, String silverPath, Dataset<Row> silverRows, CdcTableSpec spec) {
    String on = spec.keys().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
    DeltaTable.forPath(spark, silverPath).as("t")
        .merge(silverRows.as("s"), on)
        .whenMatched("s." + CdcColumns.LSN + " > t." + CdcColumns.LSN).updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }
}
