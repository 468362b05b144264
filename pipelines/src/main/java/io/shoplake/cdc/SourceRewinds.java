package io.shoplake.cdc;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Sql;
import io.shoplake.quality.ErrorClass;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Changes that arrive with an LSN below one already taken for their row, yet were committed at the
 * source later: the database's log went back with the database (a restore from a backup, a
 * failover to a replica that was behind). A replay or a late duplicate is older on both counts, so
 * it stays stale. A rewound change is neither applied over the row (that would mix two histories of
 * it) nor counted stale (that would hide the rewind): it is quarantined as
 * {@link ErrorClass#SOURCE_REWOUND}, which alerts, with what silver holds in its message.
 */
final class SourceRewinds {
  private static final String MESSAGE = "_rewind_message";
  private static final List<String> COORDINATES = List.of("topic", "partition", "offset");

  private SourceRewinds() {}

  /**
   * Coordinates and message of the batch's newest changes ({@code latest}, one per key) that are
   * rewound against silver's rows ({@code silver}).
   */
  static Dataset<Row> againstSilver(Dataset<Row> latest, Dataset<Row> silver, CdcTableSpec spec) {
    return latest.alias("s").join(silver.alias("t"), CdcApply.sameKey(spec))
        .filter(rewound(col("s." + CdcColumns.LSN), col("s." + CdcColumns.SOURCE_TS),
            col("t." + CdcColumns.LSN), col("t." + CdcColumns.SOURCE_TS)))
        .select(col("s.topic").as("topic"), col("s.partition").as("partition"), col("s.offset").as("offset"),
            message(col("s." + CdcColumns.LSN), col("s." + CdcColumns.SOURCE_TS), col("t." + CdcColumns.LSN),
                col("t." + CdcColumns.SOURCE_TS), "silver holds").as(MESSAGE));
  }

  /**
   * Coordinates and message of the valid changes rewound against the highest-LSN change of their
   * row in the same batch (which is the one applied). A re-sent copy of a rewound change is a
   * duplicate, not a second rewind.
   */
  static Dataset<Row> withinBatch(Dataset<Row> valid, CdcTableSpec spec) {
    Column[] keys = spec.keys().stream().map(Sql::named).toArray(Column[]::new);
    WindowSpec newestFirst = Window.partitionBy(keys).orderBy(col(CdcColumns.LSN).desc(), col("offset").desc());
    List<Column> change = new java.util.ArrayList<>(spec.keys().stream().map(Sql::named).toList());
    change.add(col(CdcColumns.LSN));
    return valid
        .withColumn("_top_lsn", first(col(CdcColumns.LSN)).over(newestFirst))
        .withColumn("_top_ts", first(col(CdcColumns.SOURCE_TS)).over(newestFirst))
        .filter(rewound(col(CdcColumns.LSN), col(CdcColumns.SOURCE_TS), col("_top_lsn"), col("_top_ts")))
        .withColumn("_copy", row_number().over(Window.partitionBy(change.toArray(Column[]::new)).orderBy(col("offset"))))
        .filter(col("_copy").equalTo(1))
        .select(col("topic"), col("partition"), col("offset"),
            message(col(CdcColumns.LSN), col(CdcColumns.SOURCE_TS), col("_top_lsn"), col("_top_ts"),
                "the same batch applies").as(MESSAGE));
  }

  /** The decoded records at {@code rewound}'s coordinates, as quarantine rows. */
  static Dataset<Row> records(Dataset<Row> decoded, Dataset<Row> rewound) {
    return decoded.join(rewound, scala.jdk.javaapi.CollectionConverters.asScala(COORDINATES).toSeq())
        .withColumn("error_class", lit(ErrorClass.SOURCE_REWOUND))
        .withColumn("error_message", col(MESSAGE))
        .drop(MESSAGE);
  }

  private static Column rewound(Column lsn, Column committed, Column heldLsn, Column heldCommitted) {
    return heldLsn.gt(lsn).and(committed.gt(heldCommitted));
  }

  private static Column message(Column lsn, Column committed, Column heldLsn, Column heldCommitted, String holder) {
    return concat(lit("LSN "), lsn.cast("string"), lit(" committed at "), committed.cast("string"),
        lit(" is below LSN "), heldLsn.cast("string"), lit(" committed at "), heldCommitted.cast("string"),
        lit(", which " + holder + " for this row: the source database went back (restored from a backup? failed"
            + " over to a replica behind?); silver keeps its row, resync the table"));
  }
}
