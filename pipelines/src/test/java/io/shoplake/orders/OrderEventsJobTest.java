package io.shoplake.orders;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

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

class OrderEventsJobTest {
  private final SparkSession spark = SharedSpark.get();
  private Tables tables;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    tables = new Tables(warehouse.toUri().toString(), Topics.from(ShoplakeConfig.load("local", Map.of())));
    TableBootstrap.ensure(spark, tables, List.of(OrderEventsJob.output(), TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA)));
  }

  private static String event(String id, String type, long order, String status) {
    return "{\"payload\":{\"orderId\":" + order + ",\"customerId\":7,\"status\":\"" + status + "\",\"total\":\"9.90\","
        + "\"lines\":[]},\"eventId\":\"" + id + "\",\"eventType\":\"" + type + "\"}";
  }

  private Dataset<Row> table(io.shoplake.core.TableId id) {
    return spark.read().format("delta").load(tables.path(id));
  }

  @Test
  void eachEventIsKeptOnceWhateverTheDuplicatesAndReplays() {
    Dataset<Row> first = new DebeziumEvents("events.order")
        .raw("1", event("e1", "OrderCreated", 1, "created"))
        .raw("1", event("e2", "InventoryReserved", 1, "created"))
        .raw("1", event("e1", "OrderCreated", 1, "created"))
        .toBronze(spark);
    OrderEventsJob.applyBatch(spark, tables, first, 0);
    OrderEventsJob.applyBatch(spark, tables, first, 0);
    OrderEventsJob.applyBatch(spark, tables, new DebeziumEvents("events.order")
        .raw("1", event("e2", "InventoryReserved", 1, "created"))
        .raw("1", event("e3", "OrderCancelled", 1, "cancelled")).toBronze(spark), 1);

    assertRows(table(Tables.SILVER_ORDER_EVENTS), List.of("event_id", "event_type", "order_id", "customer_id", "status"),
        List.of(row("e1", "OrderCreated", 1L, 7L, "created"), row("e2", "InventoryReserved", 1L, 7L, "created"),
            row("e3", "OrderCancelled", 1L, 7L, "cancelled")));
  }

  @Test
  void eventsBreakingTheContractAreQuarantinedWithTheReason() {
    OrderEventsJob.applyBatch(spark, tables, new DebeziumEvents("events.order")
        .raw("1", "{\"payload\":{\"orderId\":1},\"eventType\":\"OrderCreated\"}")
        .raw("2", event("e9", "OrderTeleported", 2, "created"))
        .raw("3", event("e8", "OrderCreated", 3, "created"))
        .raw("4", "{\"payload\":{\"orderId\":4},\"eventId\":\"e7\"}").toBronze(spark), 4);

    assertRows(table(Tables.SILVER_ORDER_EVENTS), List.of("event_id"), List.of(row("e8")));
    assertRows(table(Tables.QUARANTINE), List.of("stage", "offset", "error_class", "error_message"), List.of(
        row("silver.order_events", 0L, "MISSING_FIELD", "event without eventId"),
        row("silver.order_events", 1L, "UNKNOWN_EVENT_TYPE", "unknown eventType 'OrderTeleported'; known: "
            + String.join(", ", OrderEvents.TYPES)),
        // Without a type, an event must not reach silver (and its NOT NULL column) at all.
        row("silver.order_events", 3L, "UNKNOWN_EVENT_TYPE", "unknown eventType 'null'; known: "
            + String.join(", ", OrderEvents.TYPES))));
  }

  @Test
  void reconciliationFindsAnEventSilverLostAndOneItHoldsTwice() {
    Dataset<Row> bronze = new DebeziumEvents("events.order")
        .raw("1", event("e1", "OrderCreated", 1, "created"))
        .raw("1", event("e1", "OrderCreated", 1, "created"))
        .raw("2", event("e2", "OrderCreated", 2, "created"))
        .raw("3", event("e3", "OrderTeleported", 3, "created")).toBronze(spark);
    bronze.write().format("delta").save(tables.path(Tables.bronzeFor("events.order")));
    OrderEventsJob.applyBatch(spark, tables, bronze, 0);

    var applied = io.shoplake.checks.OrderEventsReconciliation.check(spark, tables);
    org.assertj.core.api.Assertions.assertThat(applied.problems()).isEmpty();
    org.assertj.core.api.Assertions.assertThat(List.of(applied.events(), applied.silverRows())).isEqualTo(List.of(2L, 2L));

    io.delta.tables.DeltaTable.forPath(spark, tables.path(Tables.SILVER_ORDER_EVENTS)).delete("event_id = 'e2'");
    table(Tables.SILVER_ORDER_EVENTS).write().format("delta").mode("append").save(tables.path(Tables.SILVER_ORDER_EVENTS));
    org.assertj.core.api.Assertions.assertThat(io.shoplake.checks.OrderEventsReconciliation.check(spark, tables).problems())
        .containsExactly("1 bronze events not in silver, e.g. [e2]", "1 silver rows repeat an event id another row holds");
  }
}
