package io.shoplake.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoplake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LostCheckpointTest {
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path dir;

  private static final TableId EVENTS = new TableId("quality", "events");

  private Tables tables() {
    return new Tables(dir.toUri().toString(), null);
  }

  private String checkpoint() {
    return dir.resolve("_checkpoints/job-a/main").toUri().toString();
  }

  private void appendBatch(String job, long batchId) {
    DeltaWrites.appendOnce(spark.range(2).selectExpr("'" + job + "' AS job", batchId + "L AS batch_id", "id"), tables(),
        EVENTS, DeltaWrites.Writer.rowsWhere("job", job), batchId);
  }

  private void refuse() {
    LostCheckpoint.refuseToStart(TableAccess.of(spark, tables()), "job-a", checkpoint(),
        List.of(new LostCheckpoint.Appended(EVENTS, DeltaWrites.Writer.rowsWhere("job", "job-a"))));
  }

  @Test
  void aJobWhoseRowsOutliveItsCheckpointIsRefusedWithTheReason() {
    appendBatch("job-a", 0);
    appendBatch("job-a", 1);

    IllegalStateException e = assertThrows(IllegalStateException.class, this::refuse);
    assertTrue(e.getMessage().contains("job-a has no checkpoint at " + checkpoint()), e.getMessage());
    assertTrue(e.getMessage().contains(EVENTS.toString()), e.getMessage());
  }

  @Test
  void aCheckpointWithProgressLetsTheJobResume() throws Exception {
    appendBatch("job-a", 0);
    Path offsets = dir.resolve("_checkpoints/job-a/main/offsets");
    Files.createDirectories(offsets);
    Files.writeString(offsets.resolve("0"), "v1");

    assertDoesNotThrow(this::refuse);
  }

  @Test
  void aCheckpointFolderWithoutAnyBatchCountsAsLost() throws Exception {
    appendBatch("job-a", 0);
    // What a query leaves when it stops before its first batch: metadata, no offsets.
    Files.createDirectories(dir.resolve("_checkpoints/job-a/main/offsets"));
    Files.writeString(dir.resolve("_checkpoints/job-a/main/metadata"), "{}");

    assertThrows(IllegalStateException.class, this::refuse);
  }

  @Test
  void aFirstStartPassesOnEmptyOrMissingTablesAndOnOtherWritersRows() {
    assertDoesNotThrow(this::refuse);
    appendBatch("job-b", 0);
    assertDoesNotThrow(this::refuse);
  }

  @Test
  void aTableIsNeverWrittenOnlyWhileItsLogHoldsJustAnEmptyCreation() {
    TableAccess access = TableAccess.of(spark, tables());
    assertFalse(access.neverWritten(EVENTS), "no table yet");
    io.delta.tables.DeltaTable.createIfNotExists(spark).location(tables().path(EVENTS))
        .addColumn("job", "STRING").addColumn("batch_id", "BIGINT").addColumn("id", "BIGINT").execute();
    assertTrue(access.neverWritten(EVENTS));
    appendBatch("job-b", 0);
    assertFalse(access.neverWritten(EVENTS));

    // Created by its first write: version 0 already adds files.
    TableId written = new TableId("quality", "written");
    spark.range(1).write().format("delta").save(tables().path(written));
    assertFalse(access.neverWritten(written));
  }
}
