package io.shoplake.funnel;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.Tables;
import io.shoplake.testing.ClickstreamHarness;
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
    h.run(new RevenuePerMinuteJob());

    List<String> columns = List.of("minute", "channel", "orders", "revenue");
    assertRows(h.table(Tables.GOLD_REVENUE_PER_MINUTE), columns, List.of(
        row(at(0), "web", 2L, new BigDecimal("15.50")),
        row(at(0), "app", 1L, new BigDecimal("20.00")),
        row(at(1), "web", 1L, new BigDecimal("7.25")),
        row(at(1), "unknown", 1L, new BigDecimal("1.00"))));

    h.spark.sql("UPDATE " + orders + " SET status = 'cancelled' WHERE order_id = 2");
    h.spark.sql("UPDATE " + orders + " SET _is_deleted = true WHERE order_id = 4");
    h.run(new RevenuePerMinuteJob());
    h.run(new RevenuePerMinuteJob());

    assertRows(h.table(Tables.GOLD_REVENUE_PER_MINUTE), columns, List.of(
        row(at(0), "web", 1L, new BigDecimal("10.00")),
        row(at(0), "app", 1L, new BigDecimal("20.00")),
        row(at(1), "unknown", 1L, new BigDecimal("1.00"))));
  }

  private static Timestamp at(int minute) {
    return new Timestamp(T + minute * 60_000L);
  }
}
