package io.shoplake.orders;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static io.shoplake.testing.RowAssert.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event sourcing: the lifecycle maintained batch by batch equals the one rebuilt from all events. */
class OrderLifecycleJobTest {
  private static final long T0 = 1_790_000_000_000L;
  private final SparkSession spark = SharedSpark.get();
  private Tables tables;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    tables = new Tables(warehouse.toUri().toString(), Topics.from(ShoplakeConfig.load("local", Map.of())));
    TableBootstrap.ensure(spark, tables, List.of(OrderEventsJob.output(), OrderLifecycleJob.output()));
  }

  private static Row event(long order, String type, String status, long atMillis) {
    String payload = "{\"orderId\":" + order + ",\"customerId\":" + (order % 7) + ",\"channel\":\"web\",\"status\":\""
        + status + "\",\"total\":\"" + order + ".50\",\"lines\":[]}";
    return RowFactory.create(order + "/" + type, type, order, order % 7, status, payload, new Timestamp(atMillis),
        "events.order", 0, atMillis, new Timestamp(atMillis));
  }

  /** Seeded orders walking the lifecycle, each stopping or being cancelled somewhere along it. */
  private static List<Row> simulatedEvents(int orders, long seed) {
    Random random = new Random(seed);
    List<Row> events = new ArrayList<>();
    for (long o = 1; o <= orders; o++) {
      long t = T0 + o * 10_000;
      events.add(event(o, "OrderCreated", "created", t));
      events.add(event(o, "InventoryReserved", "created", t));
      String[][] path = {{"PaymentConfirmed", "paid"}, {"OrderShipped", "shipped"}, {"OrderDelivered", "delivered"}};
      for (String[] step : path) {
        int roll = random.nextInt(10);
        if (roll == 0) break;
        if (roll == 1 && !step[1].equals("delivered")) {
          events.add(event(o, "OrderCancelled", "cancelled", t += 1000));
          break;
        }
        events.add(event(o, step[0], step[1], t += 1000));
      }
    }
    return events;
  }

  private Dataset<Row> lifecycle() {
    return spark.read().format("delta").load(tables.path(OrderLifecycleJob.TABLE));
  }

  @Test
  void incrementalLifecycleEqualsTheRebuildFromEventsWhateverTheBatchingOrderAndReplays() {
    List<Row> events = simulatedEvents(60, 42);
    List<Row> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(7));
    int[] cuts = {0, 40, 90, 130, shuffled.size()};
    for (int b = 0; b < cuts.length - 1; b++) {
      Dataset<Row> batch = spark.createDataFrame(shuffled.subList(cuts[b], cuts[b + 1]), OrderEvents.SCHEMA);
      OrderLifecycleJob.applyBatch(spark, tables, batch);
      if (b == 1) OrderLifecycleJob.applyBatch(spark, tables, batch); // replayed after a crash
    }
    List<List<Object>> incremental = values(lifecycle().orderBy("order_id"));

    spark.createDataFrame(events, OrderEvents.SCHEMA).write().format("delta").mode("append")
        .save(tables.path(Tables.SILVER_ORDER_EVENTS));
    OrderLifecycleJob.rebuild(spark, tables);

    assertThat(incremental).hasSize(60).isEqualTo(values(lifecycle().orderBy("order_id")));
    assertThat(values(lifecycle().groupBy("status").count()).stream().map(r -> r.get(0)).toList())
        .contains("cancelled", "delivered");
  }

  @Test
  void statusIsTheFurthestStageReachedEvenWhenEventsArriveOutOfOrder() {
    OrderLifecycleJob.applyBatch(spark, tables, spark.createDataFrame(List.of(
        event(5, "OrderCancelled", "cancelled", T0 + 3000),
        event(6, "OrderShipped", "shipped", T0 + 4000)), OrderEvents.SCHEMA));
    OrderLifecycleJob.applyBatch(spark, tables, spark.createDataFrame(List.of(
        event(5, "OrderCreated", "created", T0),
        event(5, "PaymentConfirmed", "paid", T0 + 2000),
        event(6, "OrderCreated", "created", T0 + 1000)), OrderEvents.SCHEMA));

    assertRows(lifecycle(), List.of("order_id", "status", "total", "created_at", "paid_at", "shipped_at", "cancelled_at"),
        List.of(
            row(5L, "cancelled", new BigDecimal("5.50"), new Timestamp(T0), new Timestamp(T0 + 2000), null,
                new Timestamp(T0 + 3000)),
            row(6L, "shipped", new BigDecimal("6.50"), new Timestamp(T0 + 1000), null, new Timestamp(T0 + 4000), null)));
  }
}
