package io.shoplake.segments;

import static io.shoplake.testing.GoldFixture.fields;
import static io.shoplake.testing.GoldFixture.ts;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.core.Tables;
import io.shoplake.testing.GoldFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFM quintiles and segments on five scored customers, hand-computed (as of 2026-11-25 12:00 UTC). */
class SegmentRfmTest {
  static final Instant AS_OF = Instant.parse("2026-11-25T12:00:00Z");
  private GoldFixture shop;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    shop = new GoldFixture(warehouse);
  }

  static void order(GoldFixture shop, long order, long customer, String status, String total, String createdAt) {
    shop.insert(Tables.SILVER_ORDERS, fields("order_id", order, "customer_id", customer, "status", status,
        "channel", "web", "total", new BigDecimal(total), "created_at", ts(createdAt)));
  }

  /**
   * n = 5 scored customers; score = 1 + ⌊5 (rank − 1) / 5⌋ = rank, ties sharing the lowest rank.
   * <pre>
   * customer  orders                     recency  freq  monetary   R  F  M  segment
   * 1         11-24 100, 11-20 50, 11-10 50   1 d    3     200.00   5  5  4  champions
   * 2         11-23 500 (one order)           2 d    1     500.00   3  1  5  potential_loyalist
   * 3         10-01 20, 09-01 20             55 d    2      40.00   2  4  3  at_risk
   * 4         06-01 30 (one order)          177 d    1      30.00   1  1  1  lost
   * 5         11-23 30 (one order)            2 d    1      30.00   3  1  1  potential_loyalist
   * 6         only order cancelled: not scored
   * 7         only order deleted: not scored
   * </pre>
   * Ties: 2 and 5 on recency (both rank 3), 2, 4 and 5 on frequency (rank 1), 4 and 5 on monetary (rank 1).
   */
  static void fiveCustomers(GoldFixture shop) {
    order(shop, 11, 1, "delivered", "100.00", "2026-11-24T12:00:00Z");
    order(shop, 12, 1, "shipped", "50.00", "2026-11-20T12:00:00Z");
    order(shop, 13, 1, "paid", "50.00", "2026-11-10T12:00:00Z");
    order(shop, 14, 1, "cancelled", "1000.00", "2026-11-25T10:00:00Z");
    order(shop, 21, 2, "created", "500.00", "2026-11-23T12:00:00Z");
    order(shop, 31, 3, "delivered", "20.00", "2026-10-01T12:00:00Z");
    order(shop, 32, 3, "delivered", "20.00", "2026-09-01T12:00:00Z");
    order(shop, 41, 4, "delivered", "30.00", "2026-06-01T12:00:00Z");
    order(shop, 51, 5, "paid", "30.00", "2026-11-23T12:00:00Z");
    order(shop, 61, 6, "cancelled", "999.00", "2026-11-24T12:00:00Z");
    shop.insert(Tables.SILVER_ORDERS, fields("order_id", 71L, "customer_id", 7L, "status", "paid", "total",
        new BigDecimal("70.00"), "created_at", ts("2026-11-24T12:00:00Z"), "_is_deleted", true));
    shop.commit();
  }

  @Test
  void quintilesShareScoresOnTiesAndCancelledOrDeletedOrdersDoNotCount() {
    fiveCustomers(shop);
    var orders = shop.spark.read().format("delta").load(shop.tables.path(Tables.SILVER_ORDERS));
    assertRows(Rfm.scores(orders, AS_OF),
        List.of("customer_id", "recency_days", "frequency", "monetary", "recency_score", "frequency_score",
            "monetary_score", "segment"),
        List.of(
            row(1L, 1, 3L, new BigDecimal("200.00"), 5, 5, 4, "champions"),
            row(2L, 2, 1L, new BigDecimal("500.00"), 3, 1, 5, "potential_loyalist"),
            row(3L, 55, 2L, new BigDecimal("40.00"), 2, 4, 3, "at_risk"),
            row(4L, 177, 1L, new BigDecimal("30.00"), 1, 1, 1, "lost"),
            row(5L, 2, 1L, new BigDecimal("30.00"), 3, 1, 1, "potential_loyalist")));
  }

  @Test
  void anOrderAfterTheAsOfTimeIsNotYetCounted() {
    order(shop, 1, 1, "paid", "10.00", "2026-11-20T12:00:00Z");
    order(shop, 2, 1, "paid", "10.00", "2026-11-26T12:00:00Z");
    shop.commit();
    var orders = shop.spark.read().format("delta").load(shop.tables.path(Tables.SILVER_ORDERS));
    // A lone scored customer ranks first of one: score 1 on every axis.
    assertRows(Rfm.scores(orders, AS_OF), List.of("customer_id", "frequency", "recency_days", "segment"),
        List.of(row(1L, 1L, 5, "lost")));
  }
}
