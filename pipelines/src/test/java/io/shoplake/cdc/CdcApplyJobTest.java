package io.shoplake.cdc;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcApplyJobTest {
  private static final List<String> STATE = List.of("product_id", "location_id", "on_hand", "reserved", "_is_deleted", "_lsn");
  private static final Pseudonymizer NO_PERSONAL_DATA = null;
  private final SparkSession spark = SharedSpark.get();
  private Tables tables;
  private CdcApplyJob job;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    CdcTableSpec spec = CdcTableSpec.from(config, "inventory");
    job = new CdcApplyJob(spec);
    TableBootstrap.ensure(spark, tables, job.outputs());
    TableBootstrap.ensure(spark, tables, List.of(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA)));
  }

  private Dataset<Row> silver() {
    return spark.read().format("delta").load(tables.path(Tables.SILVER_INVENTORY));
  }

  private Dataset<Row> quarantine() {
    return spark.read().format("delta").load(tables.path(Tables.QUARANTINE));
  }

  @Test
  void changesApplyInSourceOrderNotArrivalOrder() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 7, 3), 300)
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 10, 2), 200)
        .create(inventory(2, "WH-WEST", 5, 0), 150);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, events.toBronze(spark), 0);

    assertRows(silver(), STATE, List.of(
        row(1L, "WH-EAST", 7, 3, false, 300L),
        row(2L, "WH-WEST", 5, 0, false, 150L)));
  }

  @Test
  void olderChangeArrivingLaterIsIgnored() {
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 500).toBronze(spark), 0);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .update(inventory(1, "WH-EAST", 1, 0), inventory(1, "WH-EAST", 2, 0), 400).toBronze(spark), 1);

    assertRows(silver(), STATE, List.of(row(1L, "WH-EAST", 10, 0, false, 500L)));
  }

  @Test
  void deleteLeavesTombstoneThatALateOlderUpdateCannotResurrect() {
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .delete(inventory(1, "WH-EAST", 10, 0), 300).toBronze(spark), 0);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 4, 0), 200).toBronze(spark), 1);

    assertRows(silver(), STATE, List.of(row(1L, "WH-EAST", 10, 0, true, 300L)));
  }

  @Test
  void replayedBatchChangesNothing() {
    Dataset<Row> batch = new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 8, 2), 200)
        .raw("{\"product_id\":9,\"location_id\":\"X\"}", "{not json").toBronze(spark);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, batch, 0);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, batch, 0);

    assertRows(silver(), STATE, List.of(row(1L, "WH-EAST", 8, 2, false, 200L)));
    assertThat(quarantine().count()).isEqualTo(1);
    Row replayCommit = io.delta.tables.DeltaTable.forPath(spark, tables.path(Tables.SILVER_INVENTORY)).history(1).first();
    Map<String, String> replayMerge = replayCommit.getJavaMap(replayCommit.fieldIndex("operationMetrics"));
    assertThat(replayMerge).containsEntry("numTargetRowsUpdated", "0").containsEntry("numTargetRowsInserted", "0");
  }

  @Test
  void wrongTypeAndMalformedEventsGoToQuarantineWithReasonAndCoordinates() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .create(inventory(2, "WH-EAST", "lots", 0), 110)
        .raw("{\"product_id\":3}", "{\"hello\":\"world\"}")
        .create(inventory(4, "WH-EAST", 1, 0), 120);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, events.toBronze(spark), 7);

    assertRows(silver(), List.of("product_id", "on_hand"), List.of(row(1L, 10), row(4L, 1)));
    assertRows(quarantine(), List.of("stage", "source_table", "topic", "offset", "error_class", "error_message", "batch_id"),
        List.of(
            row("silver.inventory", "silver.inventory", "shop.inventory", 1L, "WRONG_TYPE",
                "after.on_hand: expected int, got 'lots'", 7L),
            row("silver.inventory", "silver.inventory", "shop.inventory", 2L, "MALFORMED_ENVELOPE",
                "not a Debezium change event (no 'op' field)", 7L)));
  }

  /**
   * Debezium's snapshot reads carry the LSN the snapshot started at; changes committed while it
   * ran stream with higher LSNs and may reach silver first, in the same batch or an earlier one.
   */
  @Test
  void snapshotAndStreamingChangesOverlappingInTimeConvergeToTheSourceState() {
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 9, 1), 220)
        .toBronze(spark), 0);
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .snapshot(inventory(1, "WH-EAST", 10, 0), 200)
        .snapshot(inventory(2, "WH-EAST", 4, 0), 200)
        .update(inventory(2, "WH-EAST", 4, 0), inventory(2, "WH-EAST", 4, 3), 210)
        .snapshot(inventory(3, "WH-WEST", 6, 0), 200)
        .toBronze(spark), 1);

    assertRows(silver(), STATE, List.of(
        row(1L, "WH-EAST", 9, 1, false, 220L),
        row(2L, "WH-EAST", 4, 3, false, 210L),
        row(3L, "WH-WEST", 6, 0, false, 200L)));
  }

  @Test
  void tombstonesAreNotApplied() {
    job.applyBatch(spark, tables, NO_PERSONAL_DATA, new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .raw("{\"product_id\":1,\"location_id\":\"WH-EAST\"}", null).toBronze(spark), 0);

    assertRows(silver(), STATE, List.of(row(1L, "WH-EAST", 10, 0, false, 100L)));
    assertThat(quarantine().count()).isZero();
  }
}
