package io.shoplake.cdc;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
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

/** SCD type 2: silver.inventory_history tracks on_hand and reserved. */
class CdcHistoryTest {
  private static final List<String> VERSION = List.of("product_id", "on_hand", "reserved", "updated_at", "_is_deleted",
      "_lsn", "valid_from", "valid_to", "is_current");
  private final SparkSession spark = SharedSpark.get();
  private Tables tables;
  private CdcTableSpec spec;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    spec = CdcTableSpec.from(config, "inventory");
    TableBootstrap.ensure(spark, tables, List.of(CdcHistory.table(spec)));
  }

  private void record(Dataset<Row> bronze) {
    CdcHistory.applyBronze(io.shoplake.core.TableAccess.of(spark, tables), bronze, spec, null);
  }

  private Dataset<Row> history() {
    return spark.read().format("delta").load(tables.path(new io.shoplake.core.TableId("silver", "inventory_history")));
  }

  private static Map<String, Object> stock(int onHand, int reserved, String updatedAt) {
    Map<String, Object> image = inventory(1, "WH-EAST", onHand, reserved);
    image.put("updated_at", updatedAt);
    return image;
  }

  private static java.sql.Timestamp ts(String iso) {
    return java.sql.Timestamp.from(java.time.Instant.parse(iso));
  }

  @Test
  void eachTrackedChangeIsAVersionValidUntilTheNextAndUntrackedChangesUpdateInPlace() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory");
    events.create(stock(10, 0, "2026-11-25T10:00:00Z"), 100)
        .update(stock(10, 0, "2026-11-25T10:00:00Z"), stock(10, 2, "2026-11-25T10:01:00Z"), 200)
        .update(stock(10, 2, "2026-11-25T10:01:00Z"), stock(10, 2, "2026-11-25T10:02:00Z"), 250)
        .delete(stock(10, 2, "2026-11-25T10:02:00Z"), 300)
        .create(stock(5, 0, "2026-11-25T10:04:00Z"), 400);
    record(events.toBronze(spark));

    assertRows(history(), VERSION, List.of(
        row(1L, 10, 0, ts("2026-11-25T10:00:00Z"), false, 100L, events.commitTime(100), events.commitTime(200), false),
        row(1L, 10, 2, ts("2026-11-25T10:02:00Z"), false, 200L, events.commitTime(200), events.commitTime(300), false),
        row(1L, 10, 2, ts("2026-11-25T10:02:00Z"), true, 300L, events.commitTime(300), events.commitTime(400), false),
        row(1L, 5, 0, ts("2026-11-25T10:04:00Z"), false, 400L, events.commitTime(400), null, true)));
  }

  @Test
  void aLateChangeLandsBetweenTheVersionsItBelongsToAndReplaysChangeNothing() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory");
    Dataset<Row> first = events.create(stock(10, 0, "2026-11-25T10:00:00Z"), 100)
        .update(stock(10, 4, "2026-11-25T10:02:00Z"), stock(10, 5, "2026-11-25T10:03:00Z"), 300).toBronze(spark);
    record(first);
    Dataset<Row> late = new DebeziumEvents("shop.inventory").committedFrom(events.commitTime(0).toInstant())
        .update(stock(10, 0, "2026-11-25T10:00:00Z"), stock(10, 4, "2026-11-25T10:02:00Z"), 200).toBronze(spark);
    record(late);
    record(late);
    record(first);

    assertRows(history(), VERSION, List.of(
        row(1L, 10, 0, ts("2026-11-25T10:00:00Z"), false, 100L, events.commitTime(100), events.commitTime(200), false),
        row(1L, 10, 4, ts("2026-11-25T10:02:00Z"), false, 200L, events.commitTime(200), events.commitTime(300), false),
        row(1L, 10, 5, ts("2026-11-25T10:03:00Z"), false, 300L, events.commitTime(300), null, true)));
  }

  @Test
  void aLateChangeThatMakesALaterVersionRedundantFoldsItIn() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory");
    record(events.create(stock(10, 0, "2026-11-25T10:00:00Z"), 100)
        .update(stock(10, 0, "2026-11-25T10:00:00Z"), stock(10, 5, "2026-11-25T10:03:00Z"), 300).toBronze(spark));
    record(new DebeziumEvents("shop.inventory").committedFrom(events.commitTime(0).toInstant())
        .update(stock(10, 0, "2026-11-25T10:00:00Z"), stock(10, 5, "2026-11-25T10:02:00Z"), 200).toBronze(spark));

    assertRows(history(), VERSION, List.of(
        row(1L, 10, 0, ts("2026-11-25T10:00:00Z"), false, 100L, events.commitTime(100), events.commitTime(200), false),
        row(1L, 10, 5, ts("2026-11-25T10:03:00Z"), false, 200L, events.commitTime(200), null, true)));
  }
}
