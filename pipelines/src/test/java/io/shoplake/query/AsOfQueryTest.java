package io.shoplake.query;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.cdc.CdcHistory;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "What was the stock at 14:00?", from SCD2 history or, for tables without, from Delta time travel. */
class AsOfQueryTest {
  private final SparkSession spark = SharedSpark.get();
  private ShoplakeConfig config;
  private Tables tables;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    config = ShoplakeConfig.load("local", Map.of());
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    TableBootstrap.ensure(spark, tables, List.of(new CdcApplyJob(spec("inventory")).output(),
        CdcHistory.table(spec("inventory")), new CdcApplyJob(spec("order_items")).output(),
        TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA),
        TableDefinition.of(Tables.PIPELINE_EVENTS, PipelineEvents.SCHEMA)));
  }

  private CdcTableSpec spec(String table) {
    return CdcTableSpec.from(config, table);
  }

  @Test
  void stockAtATimeComesFromHistoryByTheSourceCommitTime() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory").committedFrom(Instant.parse("2026-11-24T09:00:00Z"))
        .create(inventory(1, "WH-EAST", 10, 0), 0)                                            // 09:00:00
        .create(inventory(2, "WH-EAST", 3, 0), 1_000)                                        // 09:00:01
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 7, 0), 3_600_000)    // 10:00:00
        .delete(inventory(2, "WH-EAST", 3, 0), 3_601_000);                                   // 10:00:01
    CdcHistory.applyBronze(io.shoplake.core.TableAccess.of(spark, tables), events.toBronze(spark), spec("inventory"), null);

    AsOfQuery.Answer before = AsOfQuery.run(spark, tables, spec("inventory"), Instant.parse("2026-11-24T09:30:00Z"), Map.of());
    assertRows(before.rows(), List.of("product_id", "on_hand"), List.of(row(1L, 10), row(2L, 3)));
    assertThat(before.source()).startsWith("silver.inventory_history (SCD type 2");

    AsOfQuery.Answer after = AsOfQuery.run(spark, tables, spec("inventory"), Instant.parse("2026-11-24T11:00:00Z"),
        Map.of("product_id", "1"));
    assertRows(after.rows(), List.of("product_id", "on_hand"), List.of(row(1L, 7)));
    assertThat(AsOfQuery.run(spark, tables, spec("inventory"), Instant.parse("2026-11-24T08:00:00Z"), Map.of()).rows().count())
        .isZero();
  }

  @Test
  void tablesWithoutHistoryAreAnsweredByDeltaTimeTravelAndSaySo() throws InterruptedException {
    Map<String, Object> item = DebeziumEvents.orderItem(1L, 1, 2, "3.00");
    Map<String, Object> more = new LinkedHashMap<>(item);
    more.put("quantity", 5);
    CdcApplyJob job = new CdcApplyJob(spec("order_items"));
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.order_items", "order_id", "line_no")
        .create(item, 10).toBronze(spark), 0);
    Row first = DeltaTable.forPath(spark, tables.path(spec("order_items").silverTable())).history(1)
        .select("version", "timestamp").first();
    Thread.sleep(50); // the next commit must carry a later timestamp
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.order_items", "order_id", "line_no")
        .update(item, more, 20).toBronze(spark), 1);

    AsOfQuery.Answer then = AsOfQuery.run(spark, tables, spec("order_items"), first.getTimestamp(1).toInstant(), Map.of());
    assertRows(then.rows(), List.of("order_id", "quantity"), List.of(row(1L, 2)));
    assertThat(then.source()).startsWith("Delta time travel on silver.order_items: version " + first.getLong(0));
    assertRows(AsOfQuery.run(spark, tables, spec("order_items"), Instant.now(), Map.of()).rows(),
        List.of("order_id", "quantity"), List.of(row(1L, 5)));
  }
}
