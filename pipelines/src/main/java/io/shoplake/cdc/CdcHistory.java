package io.shoplake.cdc;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * SCD type 2 history of a table: a version per change of its tracked columns, each valid from
 * its source commit time until the next version's ({@code valid_to} null while current). A
 * delete is a version of its own with {@code _is_deleted}; a key re-inserted later starts a new
 * one. Changes to untracked columns update the version they fall in (type 1).
 *
 * <p>Versions are recomputed per batch for the keys it touches, from their stored versions and
 * the new changes in LSN order, so a late or replayed change lands where it belongs.
 */
public final class CdcHistory {
  public static final String VALID_FROM = "valid_from";
  public static final String VALID_TO = "valid_to";
  public static final String IS_CURRENT = "is_current";
  private static final String OBSOLETE = "_obsolete";

  private CdcHistory() {}

  /** {@code silver.<table>_history}, for a table with {@code history.track} columns. */
  public static TableDefinition table(CdcTableSpec spec) {
    if (!spec.keepsHistory()) throw new IllegalArgumentException(spec.table() + " has no history.track columns");
    TableDefinition table = TableDefinition.of(spec.historyTable(), schema(spec));
    return spec.erasure().map(table::erasedBy).orElse(table);
  }

  /**
   * Records a batch of bronze changes in the history: the changes silver accepts ({@link
   * AcceptedChanges}), each a version or part of one. Columns the source adds later are not
   * historised until declared in config. Idempotent: a replayed batch changes nothing.
   */
  public static void applyBronze(TableAccess access, Dataset<Row> bronze, CdcTableSpec spec, Pseudonymizer pseudonymizer) {
    Dataset<Row> changes = CdcApply.asImages(CdcDecoder.valid(AcceptedChanges.checked(bronze, spec)), spec, pseudonymizer)
        .persist();
    try {
      if (!changes.isEmpty()) apply(access, changes, spec);
    } finally {
      changes.unpersist();
    }
  }

  public static StructType schema(CdcTableSpec spec) {
    StructType schema = new StructType();
    for (CdcTableSpec.Column c : spec.columns()) schema = schema.add(c.name(), c.type(), !spec.keys().contains(c.name()));
    return schema
        .add(CdcColumns.IS_DELETED, DataTypes.BooleanType, false)
        .add(CdcColumns.LSN, DataTypes.LongType, false)
        .add(VALID_FROM, DataTypes.TimestampType, false)
        .add(VALID_TO, DataTypes.TimestampType, true)
        .add(IS_CURRENT, DataTypes.BooleanType, false);
  }

  /**
   * Recomputes the versions of every key in {@code changes} (rows shaped like the source
   * columns plus {@code _is_deleted, _lsn, _source_ts}) and MERGEs them into the history table.
   */
  public static void apply(TableAccess access, Dataset<Row> changes, CdcTableSpec spec) {
    List<String> columns = spec.columns().stream().map(CdcTableSpec.Column::name).toList();
    Column[] keys = spec.keys().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> history = access.read(spec.historyTable());
    Dataset<Row> stored = history.join(changes.select(keys).distinct(), spec.keys().toArray(String[]::new), "left_semi");

    List<Column> asChange = new ArrayList<>();
    columns.forEach(c -> asChange.add(Sql.named(c)));
    asChange.add(col(CdcColumns.IS_DELETED));
    asChange.add(col(CdcColumns.LSN));
    Dataset<Row> all = stored.select(concat(asChange, col(VALID_FROM).as("_at")))
        .unionByName(changes.select(concat(asChange, col(CdcColumns.SOURCE_TS).as("_at"))))
        // Stored versions come first, so a replayed change does not replace what they hold.
        .withColumn("_rank", row_number().over(Window.partitionBy(concat(List.of(keys), col(CdcColumns.LSN)))
            .orderBy(col("_at").asc_nulls_last())))
        .filter(col("_rank").equalTo(1)).drop("_rank");

    WindowSpec byLsn = Window.partitionBy(keys).orderBy(col(CdcColumns.LSN));
    // A change committed after one with a higher LSN comes from a database that went back
    // (SourceRewinds): silver quarantines it, and it is no version of the row here either.
    all = all.withColumn("_earliest_later_lsn", min(col("_at")).over(byLsn.rowsBetween(1, Window.unboundedFollowing())))
        .filter(not(coalesce(col("_at").gt(col("_earliest_later_lsn")), lit(false))))
        .drop("_earliest_later_lsn");
    Column changed = col(CdcColumns.IS_DELETED).eqNullSafe(lag(col(CdcColumns.IS_DELETED), 1).over(byLsn)).equalTo(false);
    for (String t : spec.historyTracked()) changed = changed.or(not(Sql.named(t).eqNullSafe(lag(Sql.named(t), 1).over(byLsn))));
    Column startsVersion = lag(col(CdcColumns.LSN), 1).over(byLsn).isNull().or(changed);
    Dataset<Row> grouped = all
        .withColumn("_starts", when(startsVersion, 1).otherwise(0))
        .withColumn("_version", sum(col("_starts")).over(byLsn.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));

    WindowSpec inVersion = Window.partitionBy(concat(List.of(keys), col("_version"))).orderBy(col(CdcColumns.LSN))
        .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    List<Column> version = new ArrayList<>();
    for (String c : columns) {
      version.add(spec.keys().contains(c) || spec.historyTracked().contains(c) ? Sql.named(c) : last(Sql.named(c)).over(inVersion).as(c));
    }
    version.add(col(CdcColumns.IS_DELETED));
    version.add(first(col(CdcColumns.LSN)).over(inVersion).as(CdcColumns.LSN));
    version.add(first(col("_at")).over(inVersion).as(VALID_FROM));
    version.add(col("_starts"));
    Dataset<Row> versions = grouped.select(version.toArray(Column[]::new))
        .filter(col("_starts").equalTo(1)).drop("_starts");

    WindowSpec byStart = Window.partitionBy(keys).orderBy(col(CdcColumns.LSN));
    Dataset<Row> closed = versions
        .withColumn(VALID_TO, lead(col(VALID_FROM), 1).over(byStart))
        .withColumn(IS_CURRENT, col(VALID_TO).isNull().and(not(col(CdcColumns.IS_DELETED))))
        .withColumn(OBSOLETE, lit(false));
    // Stored versions that a late change folded into an earlier one are deleted.
    Dataset<Row> obsolete = stored.join(closed.select(concat(List.of(keys), col(CdcColumns.LSN))),
            concat(spec.keys(), CdcColumns.LSN).toArray(String[]::new), "left_anti")
        .withColumn(OBSOLETE, lit(true));

    String on = Sql.keysEqual(concat(spec.keys(), CdcColumns.LSN));
    access.forChange(spec.historyTable()).as("t")
        .merge(closed.unionByName(obsolete).as("s"), on)
        .whenMatched("s." + OBSOLETE).delete()
        .whenMatched().updateExpr(assignments(schema(spec)))
        .whenNotMatched("NOT s." + OBSOLETE).insertExpr(assignments(schema(spec)))
        .execute();
  }

  private static java.util.Map<String, String> assignments(StructType schema) {
    return Sql.fromSource(schema.fieldNames());
  }

  private static Column[] concat(List<Column> head, Column tail) {
    List<Column> all = new ArrayList<>(head);
    all.add(tail);
    return all.toArray(Column[]::new);
  }

  private static List<String> concat(List<String> head, String tail) {
    List<String> all = new ArrayList<>(head);
    all.add(tail);
    return all;
  }
}
