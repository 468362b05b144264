package io.shoplake.inventory;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryAvailabilityJobTest {
  /** What the job reads of the silver.inventory change feed. */
  private static final StructType CHANGE_FEED = new StructType()
      .add("product_id", DataTypes.LongType).add("location_id", DataTypes.StringType)
      .add("on_hand", DataTypes.IntegerType).add("reserved", DataTypes.IntegerType)
      .add("_is_deleted", DataTypes.BooleanType).add("_lsn", DataTypes.LongType)
      .add("_source_ts", DataTypes.TimestampType)
      .add("_change_type", DataTypes.StringType).add("_commit_version", DataTypes.LongType);

  private final SparkSession spark = SharedSpark.get();
  @TempDir Path warehouse;
  private Tables tables;

  @BeforeEach
  void createTables() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse.toUri().toString()));
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    TableBootstrap.ensure(spark, tables, InventoryAvailabilityJob.outputs());
  }

  private Dataset<Row> changes(Row... rows) {
    return spark.createDataFrame(List.of(rows), CHANGE_FEED);
  }

  private static Row update(long product, String location, int onHand, int reserved, long lsn, long commit) {
    return RowFactory.create(product, location, onHand, reserved, false, lsn, new Timestamp(lsn), "update_postimage", commit);
  }

  private Dataset<Row> table(String path) {
    return spark.read().format("delta").load(path);
  }

  @Test
  void productTotalsCoverTheLocationsTheBatchDidNotTouchAndIgnoreAReplayedOlderBatch() throws Exception {
    Dataset<Row> first = changes(
        update(1, "WH-EAST", 10, 3, 100, 1),
        update(1, "WH-WEST", 4, 0, 110, 1),
        update(2, "WH-EAST", 0, 0, 120, 1));
    Dataset<Row> second = changes(
        update(1, "WH-WEST", 1, 0, 150, 2),
        update(1, "WH-WEST", 2, 0, 140, 2));

    InventoryAvailabilityJob.updateBatch(spark, tables, first);
    InventoryAvailabilityJob.updateBatch(spark, tables, second);
    InventoryAvailabilityJob.updateBatch(spark, tables, first);

    assertRows(table(tables.path(Tables.GOLD_INVENTORY_AVAILABILITY)),
        List.of("product_id", "location_id", "available", "version"), List.of(
            row(1L, "WH-EAST", 7, 100L),
            row(1L, "WH-WEST", 1, 150L),
            row(2L, "WH-EAST", 0, 120L)));
    assertRows(table(tables.path(Tables.GOLD_PRODUCT_AVAILABILITY)),
        List.of("product_id", "available", "on_hand", "reserved", "locations", "version"), List.of(
            row(1L, 8L, 11L, 3L, 2L, 150L),
            row(2L, 0L, 0L, 0L, 1L, 120L)));
  }
}
