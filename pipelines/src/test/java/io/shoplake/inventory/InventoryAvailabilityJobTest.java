package io.shoplake.inventory;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.shoplake.cdc.AcceptedChanges;
import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryAvailabilityJobTest {
  private static final String TOPIC = "shop.inventory";
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path warehouse;
  private Tables tables;
  private CdcTableSpec inventory;

  private ShoplakeConfig config;

  @BeforeEach
  void createTables() {
    config = ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse.toUri().toString()));
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    inventory = CdcTableSpec.from(config, "inventory");
    List<TableDefinition> defs = new ArrayList<>(List.of(InventoryAvailabilityJob.output(), ProductAvailabilityJob.output()));
    defs.addAll(new CdcApplyJob(inventory).outputs());
    defs.add(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA));
    TableBootstrap.ensure(spark, tables, defs);
  }

  /** Runs both jobs on a batch, the product totals on the change feed of the commit it made. */
  private void updateGold(DebeziumEvents events) {
    InventoryAvailabilityJob.updateBatch(spark, tables,
        AcceptedChanges.newestImages(events.toBronze(spark), inventory, null));
    ProductAvailabilityJob.updateBatch(spark, tables, changeFeedOfVersion(latestVersion()));
  }

  private long latestVersion() {
    return DeltaTable.forPath(spark, tables.path(Tables.GOLD_INVENTORY_AVAILABILITY)).history(1).first().getLong(0);
  }

  private Dataset<Row> changeFeedOfVersion(long version) {
    return spark.read().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", version).option("endingVersion", version)
        .load(tables.path(Tables.GOLD_INVENTORY_AVAILABILITY));
  }

  private Dataset<Row> table(TableId id) {
    return spark.read().format("delta").load(tables.path(id));
  }

  @Test
  void productTotalsCoverTheLocationsTheBatchDidNotTouchAndIgnoreAReplayedOlderBatch() throws Exception {
    DebeziumEvents first = new DebeziumEvents(TOPIC)
        .snapshot(inventory(1, "WH-EAST", 10, 3), 100)
        .snapshot(inventory(1, "WH-WEST", 4, 0), 110)
        .snapshot(inventory(2, "WH-EAST", 0, 0), 120);
    // Arrival order is not source order: the change with the higher LSN wins.
    DebeziumEvents second = new DebeziumEvents(TOPIC)
        .update(inventory(1, "WH-WEST", 2, 0), inventory(1, "WH-WEST", 1, 0), 150)
        .update(inventory(1, "WH-WEST", 4, 0), inventory(1, "WH-WEST", 2, 0), 140);

    updateGold(first);
    long firstVersion = latestVersion();
    updateGold(second);
    updateGold(first);
    // The product job replaying the first batch's change feed (a restart after the per-location
    // table moved on) must not take product 1 back to its totals of then.
    ProductAvailabilityJob.updateBatch(spark, tables, changeFeedOfVersion(firstVersion));

    assertRows(table(Tables.GOLD_INVENTORY_AVAILABILITY),
        List.of("product_id", "location_id", "available", "version"), List.of(
            row(1L, "WH-EAST", 7, 100L),
            row(1L, "WH-WEST", 1, 150L),
            row(2L, "WH-EAST", 0, 120L)));
    assertRows(table(Tables.GOLD_PRODUCT_AVAILABILITY),
        List.of("product_id", "available", "on_hand", "reserved", "locations", "version"), List.of(
            row(1L, 8L, 11L, 3L, 2L, 150L),
            row(2L, 0L, 0L, 0L, 1L, 120L)));
    assertThat(io.shoplake.testing.PrometheusScrape.ofThisJvm())
        .as("the shop's metrics: product×locations with nothing to promise, product 2 at WH-EAST")
        .containsEntry("shoplake_shop_out_of_stock_product_locations{}", 1.0);
  }

  /**
   * Gold reads bronze beside silver, not silver: fed the same batches, it must hold what silver
   * holds, including where silver refuses a change (broken expectation, unreadable record) or
   * ignores it (older than the row).
   */
  @Test
  void goldFromBronzeHoldsWhatSilverHoldsThroughDeletesStaleChangesAndQuarantine() throws Exception {
    List<DebeziumEvents> batches = List.of(
        new DebeziumEvents(TOPIC)
            .create(inventory(3, "WH-EAST", 5, 1), 200)
            .update(inventory(3, "WH-EAST", 5, 1), inventory(3, "WH-EAST", 7, 1), 220)
            .create(inventory(4, "WH-EAST", -1, 0), 230)
            .create(inventory(4, "WH-WEST", 2, 0), 240),
        new DebeziumEvents(TOPIC)
            .delete(inventory(3, "WH-EAST", 7, 1), 300)
            .update(inventory(4, "WH-WEST", 1, 0), inventory(4, "WH-WEST", 9, 0), 235)
            .raw("{\"product_id\":4,\"location_id\":\"WH-EAST\"}", "{not json"));
    CdcApplyJob silverJob = new CdcApplyJob(inventory);
    for (int i = 0; i < batches.size(); i++) {
      silverJob.applyBatch(spark, tables, null, batches.get(i).toBronze(spark), i);
      updateGold(batches.get(i));
    }

    List<String> state = List.of("product_id", "location_id", "on_hand", "reserved", "available", "is_deleted", "version");
    assertRows(table(Tables.GOLD_INVENTORY_AVAILABILITY), state, List.of(
        row(3L, "WH-EAST", 7, 1, 0, true, 300L),
        row(4L, "WH-WEST", 2, 0, 2, false, 240L)));
    Dataset<Row> gold = table(Tables.GOLD_INVENTORY_AVAILABILITY).selectExpr(state.toArray(String[]::new));
    Dataset<Row> fromSilver = Availability.perLocation(table(Tables.SILVER_INVENTORY)).selectExpr(state.toArray(String[]::new));
    assertThat(gold.exceptAll(fromSilver).collectAsList()).as("in gold, not in silver").isEmpty();
    assertThat(fromSilver.exceptAll(gold).collectAsList()).as("in silver, not in gold").isEmpty();
    assertRows(table(Tables.GOLD_PRODUCT_AVAILABILITY),
        List.of("product_id", "available", "on_hand", "reserved", "locations", "version"), List.of(
            row(3L, 0L, 0L, 0L, 0L, 300L),
            row(4L, 2L, 2L, 0L, 1L, 240L)));
  }

  /** The product job as it runs: a stream on the per-location change feed, resumed from its checkpoint. */
  @Test
  void theProductJobRunAfterEachBatchTotalsWhatThePerLocationTableHolds() throws Exception {
    JobContext ctx = JobContext.create(spark, config);
    InventoryAvailabilityJob.updateBatch(spark, tables, AcceptedChanges.newestImages(new DebeziumEvents(TOPIC)
        .snapshot(inventory(5, "WH-EAST", 10, 2), 500)
        .snapshot(inventory(5, "WH-WEST", 3, 0), 510)
        .snapshot(inventory(6, "WH-EAST", 1, 0), 520).toBronze(spark), inventory, null));
    try (JobRunner runner = new JobRunner(ctx)) {
      runner.runToCompletion(List.of(new ProductAvailabilityJob()));
    }
    InventoryAvailabilityJob.updateBatch(spark, tables, AcceptedChanges.newestImages(new DebeziumEvents(TOPIC)
        .delete(inventory(5, "WH-WEST", 3, 0), 600).toBronze(spark), inventory, null));
    try (JobRunner runner = new JobRunner(ctx)) {
      runner.runToCompletion(List.of(new ProductAvailabilityJob()));
    }

    assertRows(table(Tables.GOLD_PRODUCT_AVAILABILITY),
        List.of("product_id", "available", "on_hand", "reserved", "locations", "version"), List.of(
            row(5L, 8L, 10L, 2L, 1L, 600L),
            row(6L, 1L, 1L, 0L, 1L, 520L)));
  }
}
