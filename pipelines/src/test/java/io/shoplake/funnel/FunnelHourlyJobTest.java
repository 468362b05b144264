package io.shoplake.funnel;

import static io.shoplake.testing.Clicks.cart;
import static io.shoplake.testing.Clicks.checkout;
import static io.shoplake.testing.Clicks.purchase;
import static io.shoplake.testing.Clicks.search;
import static io.shoplake.testing.Clicks.view;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.core.Tables;
import io.shoplake.testing.ClickstreamHarness;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gold.funnel_hourly from clicks through silver.clickstream, both jobs run for real. */
class FunnelHourlyJobTest {
  private static final long H10 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long H11 = H10 + 3_600_000;
  private static final long MIN = 60_000;
  private static final List<String> COLUMNS = List.of("hour", "channel", "sessions", "viewed", "carted", "checked_out",
      "purchased", "view_to_cart", "cart_to_checkout", "checkout_to_purchase", "view_to_purchase");

  @Test
  void sessionsReachingEachStagePerChannelAndHourFollowNewClicks(@TempDir Path warehouse) throws Exception {
    var h = new ClickstreamHarness(warehouse, Map.of()).with(FunnelHourlyJob.output());
    h.land(
        // web, 10h: a purchase, a look, a cart of product 9 that no one ever viewed, a search only
        view("w1", 1, H10 + MIN), cart("w1", 1, H10 + 2 * MIN), checkout("w1", H10 + 3 * MIN),
        purchase("w1", H10 + 4 * MIN),
        view("w2", 2, H10 + 5 * MIN),
        cart("w3", 9, H10 + 6 * MIN),
        search("w4", H10 + 7 * MIN),
        // app, 10h: a cart left behind
        view("a1", 1, H10 + 8 * MIN).channel("app"), cart("a1", 1, H10 + 9 * MIN).channel("app"),
        // web, 11h: a checkout without a reported cart event
        view("w5", 3, H11 + MIN), checkout("w5", H11 + 2 * MIN));
    h.run(h.clickstreamJob());
    h.run(new FunnelHourlyJob());

    assertRows(h.table(Tables.GOLD_FUNNEL_HOURLY), COLUMNS, List.of(
        row(at(H10), "web", 4L, 3L, 2L, 1L, 1L, 0.6667, 0.5, 1.0, 0.3333),
        row(at(H10), "app", 1L, 1L, 1L, 0L, 0L, 1.0, 0.0, null, 0.0),
        row(at(H11), "web", 1L, 1L, 1L, 1L, 0L, 1.0, 1.0, 0.0, 0.0)));

    // w5 buys a few minutes later; a new app visitor only looks.
    h.land(purchase("w5", H11 + 6 * MIN), view("a2", 4, H11 + 7 * MIN).channel("app"));
    h.run(h.clickstreamJob());
    h.run(new FunnelHourlyJob());
    h.run(new FunnelHourlyJob());

    assertRows(h.table(Tables.GOLD_FUNNEL_HOURLY), COLUMNS, List.of(
        row(at(H10), "web", 4L, 3L, 2L, 1L, 1L, 0.6667, 0.5, 1.0, 0.3333),
        row(at(H10), "app", 1L, 1L, 1L, 0L, 0L, 1.0, 0.0, null, 0.0),
        row(at(H11), "web", 1L, 1L, 1L, 1L, 1L, 1.0, 1.0, 1.0, 1.0),
        row(at(H11), "app", 1L, 1L, 0L, 0L, 0L, 0.0, null, null, 0.0)));
  }

  private static Timestamp at(long millis) {
    return new Timestamp(millis);
  }
}
