package io.shoplake.core;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.apache.spark.sql.functions.col;

import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaWritesTest {
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path dir;

  private Dataset<Row> rows(String job, long batchId, int n) {
    return spark.range(n).selectExpr("'" + job + "' AS job", batchId + "L AS batch_id", "id");
  }

  private static final TableId EVENTS = new TableId("quality", "events");

  private Tables tables() {
    return new Tables(dir.toUri().toString(), null);
  }

  private Dataset<Row> read() {
    return spark.read().format("delta").load(tables().path(EVENTS)).groupBy("job", "batch_id").count();
  }

  @Test
  void aBatchReplayedInTheSameProcessIsNotAppendedAgain() {
    DeltaWrites.Writer a = DeltaWrites.Writer.rowsWhere("job", "a");
    DeltaWrites.appendOnce(rows("a", 0, 2), tables(), EVENTS, a, 0);
    DeltaWrites.appendOnce(rows("a", 1, 3), tables(), EVENTS, a, 1);
    DeltaWrites.appendOnce(rows("a", 1, 3), tables(), EVENTS, a, 1);
    DeltaWrites.appendOnce(rows("a", 0, 2), tables(), EVENTS, a, 0);
    DeltaWrites.appendOnce(rows("a", 2, 1), tables(), EVENTS, a, 2);

    assertRows(read(), List.of("job", "batch_id", "count"), List.of(row("a", 0L, 2L), row("a", 1L, 3L), row("a", 2L, 1L)));
  }

  @Test
  void aWriterStartedAfterACrashFindsItsLastBatchInTheTable() {
    DeltaWrites.appendOnce(rows("a", 4, 2), tables(), EVENTS, DeltaWrites.Writer.rowsWhere("job", "a"), 4);

    // A new process knows nothing of what the one before appended: only the table can tell.
    // A writer of the same rows under a name this process has not seen stands for it.
    DeltaWrites.Writer restarted = new DeltaWrites.Writer("after-crash", col("job").equalTo("a"));
    DeltaWrites.appendOnce(rows("a", 4, 2), tables(), EVENTS, restarted, 4);
    DeltaWrites.appendOnce(rows("a", 5, 1), tables(), EVENTS, restarted, 5);

    assertRows(read(), List.of("job", "batch_id", "count"), List.of(row("a", 4L, 2L), row("a", 5L, 1L)));
  }

  @Test
  void anotherWritersBatchOfTheSameIdDoesNotCountAsThisWritersOwn() {
    DeltaWrites.Writer a = DeltaWrites.Writer.rowsWhere("job", "a");
    DeltaWrites.Writer b = DeltaWrites.Writer.rowsWhere("job", "b");
    DeltaWrites.appendOnce(rows("a", 7, 1), tables(), EVENTS, a, 7);
    DeltaWrites.appendOnce(rows("b", 7, 2), tables(), EVENTS, b, 7);
    DeltaWrites.appendOnce(rows("b", 7, 2), tables(), EVENTS, b, 7);

    assertRows(read(), List.of("job", "batch_id", "count"), List.of(row("a", 7L, 1L), row("b", 7L, 2L)));
  }
}
