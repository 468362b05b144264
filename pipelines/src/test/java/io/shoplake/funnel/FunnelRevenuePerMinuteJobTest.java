package io.shoplake.funnel;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.Tables;
import io.shoplake.testing.ClickstreamHarness;
import io.shoplake.testing.PrometheusScrape;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gold.revenue_per_minute follows silver.orders through its change feed, cancellations and deletes included. */
class FunnelRevenuePerMinuteJobTest {
  private static final long T = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

  @Test
  void revenuePerMinuteAndChannelFollowsOrdersCancellationsAndDeletes(@TempDir Path warehouse) throws Exception {
    var h = new ClickstreamHarness(warehouse, Map.of());
    h.with(new CdcApplyJob(CdcTableSpec.from(h.config, "orders")).output(), RevenuePerMinuteJob.output());
    String orders = "delta.`" + h.tables.path(Tables.SILVER_ORDERS) + "`";
    h.spark.sql("INSERT INTO " + orders + " (order_id, customer_id, status, channel, total, created_at, _is_deleted, _lsn, _applied_at)"
        + " VALUES (1, 11, 'paid', 'web', 10.00, TIMESTAMP'2026-11-25 10:00:10', false, 1, now()),"
        + " (2, 12, 'created', 'web', 5.50, TIMESTAMP'2026-11-25 10:00:50', false, 1, now()),"
        + " (3, 13, 'shipped', 'app', 20.00, TIMESTAMP'2026-11-25 10:00:30', false, 1, now()),"
        + " (4, 14, 'created', 'web', 7.25, TIMESTAMP'2026-11-25 10:01:05', false, 1, now()),"
        + " (5, 15, 'cancelled', 'web', 100.00, TIMESTAMP'2026-11-25 10:00:20', false, 1, now()),"
        + " (6, 16, 'created', NULL, 1.00, TIMESTAMP'2026-11-25 10:01:59', false, 1, now())");
    Map<String, Double> before = PrometheusScrape.ofThisJvm();
    h.run(new RevenuePerMinuteJob());
    // The shop's metrics count each order placed once: not the one cancelled when first seen.
    assertThat(placed(before, PrometheusScrape.ofThisJvm())).isEqualTo(Map.of(
        "web", List.of(3.0, 22.75), "app", List.of(1.0, 20.0), "unknown", List.of(1.0, 1.0)));

    List<String> columns = List.of("minute", "channel", "orders", "revenue");
    assertRows(h.table(Tables.GOLD_REVENUE_PER_MINUTE), columns, List.of(
        row(at(0), "web", 2L, new BigDecimal("15.50")),
        row(at(0), "app", 1L, new BigDecimal("20.00")),
        row(at(1), "web", 1L, new BigDecimal("7.25")),
        row(at(1), "unknown", 1L, new BigDecimal("1.00"))));

    h.spark.sql("UPDATE " + orders + " SET status = 'cancelled' WHERE order_id = 2");
    h.spark.sql("UPDATE " + orders + " SET _is_deleted = true WHERE order_id = 4");
    Map<String, Double> afterPlacing = PrometheusScrape.ofThisJvm();
    h.run(new RevenuePerMinuteJob());
    h.run(new RevenuePerMinuteJob());
    assertThat(placed(afterPlacing, PrometheusScrape.ofThisJvm())).as("changes to placed orders place nothing").isEmpty();

    assertRows(h.table(Tables.GOLD_REVENUE_PER_MINUTE), columns, List.of(
        row(at(0), "web", 1L, new BigDecimal("10.00")),
        row(at(0), "app", 1L, new BigDecimal("20.00")),
        row(at(1), "unknown", 1L, new BigDecimal("1.00"))));
  }

  /** Per channel, the orders and revenue placed between two scrapes. */
  private static Map<String, List<Double>> placed(Map<String, Double> before, Map<String, Double> after) {
    Map<String, List<Double>> placed = new java.util.TreeMap<>();
    for (String channel : List.of("web", "app", "unknown")) {
      String orders = PrometheusScrape.key("shoplake_shop_orders_placed_total", "channel", channel);
      String revenue = PrometheusScrape.key("shoplake_shop_revenue_placed_total", "channel", channel);
      double o = after.getOrDefault(orders, 0.0) - before.getOrDefault(orders, 0.0);
      double r = after.getOrDefault(revenue, 0.0) - before.getOrDefault(revenue, 0.0);
      if (o != 0 || r != 0) placed.put(channel, List.of(o, Math.round(r * 100) / 100.0));
    }
    return placed;
  }

  private static Timestamp at(int minute) {
    return new Timestamp(T + minute * 60_000L);
  }
}
