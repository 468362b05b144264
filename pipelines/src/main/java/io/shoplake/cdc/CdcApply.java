package io.shoplake.cdc;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.row_number;

import io.shoplake.core.BatchConstants;
import io.shoplake.core.CdcColumns;
import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Applies decoded changes to a silver table in source order. Idempotent: a change is applied
 * only if its LSN is above the one the row holds, so replays and duplicates change nothing.
 */
public final class CdcApply {
  private CdcApply() {}

  /** Column of {@link #latestPerKey}: how many distinct changes (LSNs) the batch held for the key. */
  public static final String DISTINCT_CHANGES = "_distinct_changes";
  /**
   * Column of {@link #latestPerKey}: whether the batch holds a change of the key committed after
   * the one it keeps, under a lower LSN ({@link SourceRewinds}).
   */
  public static final String REWOUND_IN_BATCH = "_rewound_in_batch";

  /**
   * Keeps the last change per key, with {@link #DISTINCT_CHANGES}. Ties on LSN cannot happen
   * between two changes of one row in PostgreSQL; the Kafka offset breaks them for duplicates
   * Debezium re-sent after a crash.
   */
  public static Dataset<Row> latestPerKey(Dataset<Row> changes, CdcTableSpec spec) {
    Column[] keys = spec.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    WindowSpec newestFirst = Window.partitionBy(keys).orderBy(col(CdcColumns.LSN).desc(), col("offset").desc());
    // Same partitioning and order as the rank: one shuffle and one sort serve all three. Rows
    // come newest LSN first, so a row starts a distinct change where its LSN differs from the
    // row before; counting those (not collecting a set of LSNs per key) keeps the window's
    // aggregate cheap.
    WindowSpec wholeKey = newestFirst.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column startsChange = when(lag(col(CdcColumns.LSN), 1).over(newestFirst).eqNullSafe(col(CdcColumns.LSN)), 0).otherwise(1);
    return changes
        .withColumn("_rank", row_number().over(newestFirst))
        .withColumn("_starts_change", startsChange)
        .withColumn(DISTINCT_CHANGES, sum(col("_starts_change")).over(wholeKey))
        .withColumn(REWOUND_IN_BATCH, coalesce(max(col(CdcColumns.SOURCE_TS)).over(wholeKey).gt(col(CdcColumns.SOURCE_TS)),
            lit(false)))
        .filter(col("_rank").equalTo(1))
        .drop("_rank", "_starts_change");
  }

  /**
   * Rows shaped like the silver table: a delete becomes a tombstone holding its last values,
   * and personal columns carry pseudonyms, never raw values.
   */
  public static Dataset<Row> asSilverRows(Dataset<Row> latest, CdcTableSpec spec, Pseudonymizer pseudonymizer,
      Timestamp appliedAt) {
    return asImages(latest, spec, pseudonymizer).withColumn(CdcColumns.APPLIED_AT, BatchConstants.of(appliedAt));
  }

  /** Each change as its row image: the source columns (pseudonymised), {@code _is_deleted, _lsn, _source_ts}. */
  public static Dataset<Row> asImages(Dataset<Row> changes, CdcTableSpec spec, Pseudonymizer pseudonymizer) {
    List<Column> cols = new ArrayList<>();
    for (CdcTableSpec.Column c : spec.columns()) {
      cols.add(spec.pseudonymised().contains(c.name()) ? pseudonymizer.apply(Sql.named(c.name())).as(c.name()) : Sql.named(c.name()));
    }
    cols.add(col(CdcColumns.OP).equalTo(DebeziumEnvelope.OP_DELETE).as(CdcColumns.IS_DELETED));
    cols.add(col(CdcColumns.LSN));
    cols.add(col(CdcColumns.SOURCE_TS));
    return changes.select(cols.toArray(Column[]::new));
  }

  /** MERGEs the rows, newer LSN wins; returns how many keys were inserted or updated. */
  public static long merge(TableAccess access, Dataset<Row> silverRows, CdcTableSpec spec) {
    Row metrics = access.forChange(spec.silverTable()).as("t")
        .merge(silverRows.as("s"), keysMatch(spec))
        // Named assignments, not updateAll: Delta expands * without quoting names, and source columns may hold backticks.
        .whenMatched(Sql.column("s", CdcColumns.LSN) + " > " + Sql.column("t", CdcColumns.LSN))
        .updateExpr(Sql.fromSource(silverRows.columns()))
        .whenNotMatched().insertExpr(Sql.fromSource(silverRows.columns()))
        .execute()
        .first();
    return metrics.<Long>getAs("num_updated_rows") + metrics.<Long>getAs("num_inserted_rows");
  }

  private static String keysMatch(CdcTableSpec spec) {
    return Sql.keysEqual(spec.keys());
  }

  public record NotApplied(long stale, long duplicate, long rewound) {
    public static final NotApplied NONE = new NotApplied(0, 0, 0);
  }

  /**
   * Splits the batch's newest changes that the MERGE did not apply into stale (silver holds a
   * newer LSN, committed no earlier), rewound (silver holds a newer LSN committed earlier:
   * {@link SourceRewinds}) and duplicate (silver holds this LSN from an earlier batch: the row's
   * {@code _applied_at} is not this batch's). Run only when the MERGE applied fewer keys than
   * the batch had, which is rare outside replays, so the common batch pays no extra scan.
   */
  public static NotApplied classifyNotApplied(TableAccess access, Dataset<Row> latest, CdcTableSpec spec,
      Timestamp appliedAt) {
    Dataset<Row> target = access.read(spec.silverTable()).alias("t");
    Column on = sameKey(spec);
    Column older = col("t." + CdcColumns.LSN).gt(col("s." + CdcColumns.LSN));
    Column committedLater = coalesce(col("s." + CdcColumns.SOURCE_TS).gt(col("t." + CdcColumns.SOURCE_TS)), lit(false));
    Row counts = latest.alias("s").join(target, on)
        .agg(sum(when(older.and(not(committedLater)), 1).otherwise(0)).as("stale"),
            sum(when(col("t." + CdcColumns.LSN).equalTo(col("s." + CdcColumns.LSN))
                .and(col("t." + CdcColumns.APPLIED_AT).notEqual(lit(appliedAt))), 1).otherwise(0)).as("duplicate"),
            sum(when(older.and(committedLater), 1).otherwise(0)).as("rewound"))
        .first();
    return new NotApplied(orZero(counts, 0), orZero(counts, 1), orZero(counts, 2));
  }

  /** The join of a batch's changes ({@code s}) with silver's rows ({@code t}) on the table's keys. */
  static Column sameKey(CdcTableSpec spec) {
    return spec.keys().stream().map(k -> col(Sql.column("s", k)).equalTo(col(Sql.column("t", k))))
        .reduce(Column::and).orElseThrow();
  }

  private static long orZero(Row row, int i) {
    return row.isNullAt(i) ? 0 : row.getLong(i);
  }

  /**
   * Forgets tombstones whose delete was committed at the source longer ago than the horizon: past it, a late change to a deleted key is
   * assumed impossible (Kafka retention and Debezium's slot are shorter).
   */
  public static void purgeTombstones(TableAccess access, TableId silver, java.time.Duration horizon) {
    Timestamp cutoff = Timestamp.from(java.time.Instant.now().minus(horizon));
    access.forChange(silver)
        .delete(col(CdcColumns.IS_DELETED)
            .and(org.apache.spark.sql.functions.coalesce(col(CdcColumns.SOURCE_TS), col(CdcColumns.APPLIED_AT)).lt(lit(cutoff))));
  }
}
