package io.shoplake.core;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.tables.DeltaTable;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table made by an earlier release, with fewer columns than this one declares. */
class TableBootstrapTest {
  private static final TableId EVENTS = new TableId("quality", "bootstrap_events");
  private static final StructType EARLIER = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("name", DataTypes.StringType, true);

  private final SparkSession spark = SharedSpark.get();
  @TempDir Path dir;

  private Tables tables() {
    return new Tables(dir.toUri().toString(), null);
  }

  private void earlierReleaseWroteARow() {
    TableBootstrap.ensure(spark, tables(), List.of(TableDefinition.of(EVENTS, EARLIER)));
    spark.sql("INSERT INTO " + Sql.deltaTable(tables().path(EVENTS)) + " VALUES (1, 'one')");
  }

  @Test
  void aDeclaredNullableColumnTheTableLacksIsAddedAndReadsAsNullInOldRows() {
    earlierReleaseWroteARow();
    StructType now = EARLIER.add("noted_at", DataTypes.TimestampType, true);

    TableBootstrap.ensure(spark, tables(), List.of(TableDefinition.of(EVENTS, now)));
    long version = DeltaTable.forPath(spark, tables().path(EVENTS)).history(1).first().getLong(0);
    TableBootstrap.ensure(spark, tables(), List.of(TableDefinition.of(EVENTS, now)));

    assertThat(spark.table(EVENTS.toString()).schema().fieldNames()).containsExactly("id", "name", "noted_at");
    assertRows(spark.table(EVENTS.toString()), List.of("id", "name", "noted_at"), List.of(row(1L, "one", null)));
    assertThat(DeltaTable.forPath(spark, tables().path(EVENTS)).history(1).first().getLong(0))
        .as("a table with every declared column gets no commit").isEqualTo(version);
  }

  @Test
  void aDeclaredNotNullColumnTheTableLacksIsRefusedByName() {
    earlierReleaseWroteARow();
    StructType now = EARLIER.add("weight", DataTypes.LongType, false);

    assertThatThrownBy(() -> TableBootstrap.ensure(spark, tables(), List.of(TableDefinition.of(EVENTS, now))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("quality.bootstrap_events")
        .hasMessageContaining("no column weight, which is NOT NULL");
    assertThat(spark.read().format("delta").load(tables().path(EVENTS)).columns()).containsExactly("id", "name");
  }

  @Test
  void aCreationKilledBeforeItsFirstCommitIsCreatedAgainNotTakenForATable() throws Exception {
    // What a SIGKILL during the very first start leaves: Delta made the log's folders, then died
    // before writing version 0.
    java.nio.file.Files.createDirectories(Path.of(java.net.URI.create(tables().path(EVENTS) + "/_delta_log/_staged_commits")));

    TableBootstrap.ensure(spark, tables(), List.of(TableDefinition.of(EVENTS, EARLIER)));
    spark.sql("INSERT INTO " + Sql.deltaTable(tables().path(EVENTS)) + " VALUES (1, 'one')");

    assertRows(spark.table(EVENTS.toString()), List.of("id", "name"), List.of(row(1L, "one")));
  }
}
