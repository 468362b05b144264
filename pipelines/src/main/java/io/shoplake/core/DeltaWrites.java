package io.shoplake.core;

import static org.apache.spark.sql.functions.col;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Delta appends that stay exactly-once when Spark replays a micro-batch after a crash.
 *
 * <p>Delta's own idempotent writes ({@code txnAppId}/{@code txnVersion}) were measured too
 * dear for every micro-batch: Delta 4.4 answers "which version did this app commit last" by
 * reconstructing the table's whole state, so an append took 4 Spark jobs and 0.9–1.8 s
 * instead of 1 job and 0.25–0.35 s (2 cores), on every batch of every job. Here the table's
 * own rows say whether a batch is in: every appended row carries its {@code batch_id}, and a
 * Delta commit makes all of a batch's rows visible or none. The table is only read when this
 * process cannot know the answer: the first batch a writer appends after a start, and a batch
 * id that is not above the last one it appended (a replay).
 */
public final class DeltaWrites {
  /** Per table path and writer: the highest batch id this process has appended or found committed. */
  private static final Map<String, Long> LAST_COMMITTED = new ConcurrentHashMap<>();

  private DeltaWrites() {}

  /**
   * Who appends a share of a table's rows, and how to tell that share apart.
   *
   * @param name unique among the table's writers
   * @param rows selects this writer's rows, e.g. {@code job = 'silver.inventory'}; every row of
   *     the table when it has a single writer
   */
  public record Writer(String name, Column rows) {
    /** The table's only writer: all its rows are this writer's. */
    public static Writer wholeTable() {
      return new Writer("*", org.apache.spark.sql.functions.lit(true));
    }

    /** The writer whose rows have {@code column = value}. */
    public static Writer rowsWhere(String column, String value) {
      return new Writer(column + "=" + value, col(column).equalTo(value));
    }
  }

  /**
   * Appends {@code rows} (whose {@code batch_id} column is {@code batchId}) unless the writer's
   * rows of that batch are already in the table.
   */
  public static void appendOnce(Dataset<Row> rows, Tables tables, TableId table, Writer writer, long batchId) {
    TableAccess access = TableAccess.of(rows.sparkSession(), tables);
    String key = tables.path(table) + "\u0000" + writer.name();
    Long last = LAST_COMMITTED.get(key);
    if ((last == null || batchId <= last) && committed(access, table, writer, batchId)) {
      LAST_COMMITTED.merge(key, batchId, Math::max);
      return;
    }
    try {
      access.append(table, rows);
    } catch (RuntimeException e) {
      // The commit may or may not have happened: the next batch asks the table.
      LAST_COMMITTED.remove(key);
      throw e;
    }
    LAST_COMMITTED.merge(key, batchId, Math::max);
  }

  private static boolean committed(TableAccess access, TableId table, Writer writer, long batchId) {
    // An append creates a table that does not exist yet, as Delta's does.
    if (!access.exists(table)) return false;
    return !access.read(table)
        .filter(writer.rows().and(col("batch_id").equalTo(batchId)))
        .isEmpty();
  }
}
