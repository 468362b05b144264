package io.shoplake.inventory;

import io.shoplake.cdc.AcceptedChanges;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.cdc.SilverSchema;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Maintains available-to-promise, incrementally, straight from the inventory CDC in bronze.
 *
 * <p>Reads: {@code bronze.shop_inventory} (Delta stream), decoded, checked and ordered exactly as
 * {@code silver.inventory} applies it ({@link AcceptedChanges}). Beside silver rather than after
 * it: on the freshness path each Delta hop costs a trigger wait and a MERGE, and silver's was
 * the longest. Both tables take a change only if its LSN is above the row's, so they hold the
 * same state whatever the order of batches; gold keeps deleted rows as "nothing available"
 * for good, where silver forgets tombstones past their horizon.
 *
 * <p>Writes: {@code gold.inventory_availability} (per product×location, change feed on, for
 * serving and for {@link ProductAvailabilityJob}'s totals per product). Trigger: the
 * configured one. Run: {@code shoplake run gold.inventory_availability}.
 */
public final class InventoryAvailabilityJob implements Job {
  public static final String NAME = "gold.inventory_availability";
  public static final String INVENTORY = "inventory";
  private final CdcTableSpec configured;

  /** @param configured how {@code shoplake.cdc.tables} applies the inventory table to silver */
  public InventoryAvailabilityJob(CdcTableSpec configured) {
    this.configured = configured;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS)
        .reads(Tables.bronzeFor(topics.cdc(INVENTORY)), Tables.SILVER_INVENTORY).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.withChangeFeed(Tables.GOLD_INVENTORY_AVAILABILITY, Availability.LOCATION_SCHEMA);
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    // The columns silver holds now, the evolved ones included: a change silver quarantines for
    // one of them must not reach gold either.
    CdcTableSpec inventory = SilverSchema.of(ctx.access(), configured);
    Pseudonymizer pseudonymizer = Pseudonymizer.forTable(inventory, ctx.services()::piiKey);
    Dataset<Row> bronze = ctx.readDeltaStream(Tables.bronzeFor(tables.topics().cdc(INVENTORY)));
    return ctx.startForEachBatch(bronze, NAME, (batch, batchId) ->
        updateBatch(ctx.spark(), tables, AcceptedChanges.newestImages(batch, inventory, pseudonymizer)));
  }

  /** Applies a batch's newest inventory row images (one per product×location). */
  public static void updateBatch(SparkSession spark, Tables tables, Dataset<Row> newestImages) {
    // Truncated, not cached: the MERGE's queries (and the scans they run) would otherwise
    // analyse and optimise the whole CDC decode again, which was most of the batch's driver time.
    // One row per product×location at most, so small whatever the backlog.
    Dataset<Row> changed = Availability.perLocation(newestImages).localCheckpoint();
    // Versions only move forward: a replayed batch finds every row already at its version.
    TableAccess.of(spark, tables).forChange(Tables.GOLD_INVENTORY_AVAILABILITY).as("t")
        .merge(changed.as("s"), "t.product_id = s.product_id AND t.location_id = s.location_id")
        .whenMatched("s.version > t.version").updateAll()
        .whenNotMatched().insertAll()
        .execute();
  }
}
