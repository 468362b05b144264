package io.shoplake.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.shoplake.core.CdcColumns;
import io.shoplake.cdc.CdcHistory;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * "What was the state of this silver table at that time?" From the table's SCD2 history when
 * it keeps one (versions valid at that source commit time), else from Delta time travel on the
 * current-state table (the table as the pipeline had applied it by then, which lags the source
 * by the pipeline's latency). The answer says which.
 */
public final class AsOfQuery {
  public record Answer(Dataset<Row> rows, String source) {}

  private AsOfQuery() {}

  public static Answer run(SparkSession spark, Tables tables, CdcTableSpec spec, Instant at, Map<String, String> keyEquals) {
    for (String key : keyEquals.keySet()) {
      if (!spec.keys().contains(key)) {
        throw new IllegalArgumentException("--key " + key + ": not a key of " + spec.silverTable() + " (keys: " + spec.keys() + ")");
      }
    }
    String[] columns = spec.columns().stream().map(CdcTableSpec.Column::name).toArray(String[]::new);
    Timestamp when = Timestamp.from(at);
    Dataset<Row> rows;
    String source;
    if (spec.keepsHistory()) {
      Dataset<Row> history = TableAccess.of(spark, tables).read(spec.historyTable());
      rows = history.filter(col(CdcHistory.VALID_FROM).leq(lit(when))
          .and(col(CdcHistory.VALID_TO).isNull().or(col(CdcHistory.VALID_TO).gt(lit(when))))
          .and(not(col(CdcColumns.IS_DELETED))));
      Row first = history.agg(org.apache.spark.sql.functions.min(CdcHistory.VALID_FROM)).first();
      source = spec.historyTable() + " (SCD type 2, versions by source commit time"
          + (first.isNullAt(0) ? "; the history is empty)" : "; history starts " + first.getTimestamp(0).toInstant() + ")");
    } else {
      TableAccess access = TableAccess.of(spark, tables);
      Row commit = access.history(spec.silverTable()).filter(col("timestamp").leq(lit(when)))
          .orderBy(col("version").desc()).select("version", "timestamp").limit(1).collectAsList().stream().findFirst()
          .orElseThrow(() -> new IllegalArgumentException(spec.silverTable() + " did not exist yet at " + at));
      rows = access.readAsOf(spec.silverTable(), commit.getLong(0))
          .filter(not(col(CdcColumns.IS_DELETED)));
      source = "Delta time travel on " + spec.silverTable() + ": version " + commit.getLong(0) + ", committed "
          + commit.getTimestamp(1).toInstant() + " (the state the pipeline had applied then; "
          + spec.table() + " keeps no SCD2 history)";
    }
    for (Map.Entry<String, String> k : keyEquals.entrySet()) rows = rows.filter(col(k.getKey()).equalTo(lit(k.getValue())));
    Column[] order = spec.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return new Answer(rows.select(List.of(columns).stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .orderBy(order), source);
  }
}
