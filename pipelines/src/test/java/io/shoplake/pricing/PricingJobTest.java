package io.shoplake.pricing;

import static io.shoplake.testing.GoldFixture.fields;
import static io.shoplake.testing.GoldFixture.ts;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.JobContext;
import io.shoplake.core.Tables;
import io.shoplake.testing.SilverClicks;
import io.shoplake.testing.GoldFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals, stock cover and recommendations, hand-computed, as of 2026-11-25 12:00 UTC with
 * {@link PricingRuleTest#SETTINGS} (windows 1h / 24h / 7d, the 7d one drives the rule).
 * <pre>
 * product  list   cost   views 1h/24h/7d  carts   orders (units) in 7d        available  → price
 * 1        100    50     30/80/100        4/4/10  10 on 11-21 + 1 today (2)     100        105.00 HIGH_DEMAND (11 %, cover 58.33 d)
 * 2        20     19.50  0                0       1 today (1)                   none       21.45 LOW_STOCK_COVER, CLAMPED_MIN_MARGIN
 * 3        50     10     0                0       0                             40         50.00 NO_SIGNAL
 * 4        deleted: no recommendation
 * </pre>
 * A cancelled order today (5 units of product 1) counts for nothing.
 */
class PricingJobTest {
  static final Instant AS_OF = Instant.parse("2026-11-25T12:00:00Z");
  private GoldFixture shop;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    shop = new GoldFixture(warehouse);
    product(1, "100.00", "50.00", false);
    product(2, "20.00", "19.50", false);
    product(3, "50.00", "10.00", false);
    product(4, "10.00", "5.00", true);
    SilverClicks.of()
        .views(30, 1, "2026-11-25T11:30:00Z").views(50, 1, "2026-11-25T00:00:00Z").views(20, 1, "2026-11-20T12:00:00Z")
        .views(5, 1, "2026-11-10T12:00:00Z")
        .carts(4, 1, "2026-11-25T11:30:00Z").carts(6, 1, "2026-11-22T12:00:00Z")
        .write(shop.spark, shop.tables);
    for (long o = 101; o <= 110; o++) order(o, "paid", "2026-11-21T12:00:00Z", new long[] {1, 1});
    order(111, "created", "2026-11-25T11:45:00Z", new long[] {1, 2}, new long[] {2, 1});
    order(112, "cancelled", "2026-11-25T11:50:00Z", new long[] {1, 5});
    available(1, 100);
    available(3, 40);
    shop.commit();
  }

  private void product(long id, String price, String cost, boolean deleted) {
    shop.insert(Tables.SILVER_PRODUCTS, fields("product_id", id, "sku", "p" + id, "category", "c", "price",
        new BigDecimal(price), "cost", new BigDecimal(cost), "_is_deleted", deleted));
  }

  private void order(long id, String status, String at, long[]... lines) {
    shop.insert(Tables.SILVER_ORDERS, fields("order_id", id, "customer_id", id, "status", status, "total",
        new BigDecimal("1.00"), "created_at", ts(at)));
    for (int i = 0; i < lines.length; i++) {
      shop.insert(Tables.SILVER_ORDER_ITEMS, fields("order_id", id, "line_no", i + 1, "product_id", lines[i][0],
          "location_id", "wh", "quantity", (int) lines[i][1], "unit_price", new BigDecimal("1.00")));
    }
  }

  private void available(long product, long units) {
    shop.insert(Tables.GOLD_PRODUCT_AVAILABILITY, fields("product_id", product, "available", units, "on_hand", units,
        "reserved", 0L, "locations", 1L, "version", 1L, "updated_at", ts("2026-11-25T11:00:00Z")));
  }

  private Dataset<Row> recommendations() {
    return shop.spark.read().format("delta").load(shop.tables.path(Tables.GOLD_PRICE_RECOMMENDATIONS));
  }

  private static final List<String> PRICES = List.of("product_id", "list_price", "current_price", "recommended_price",
      "change_pct", "array_join(reason_codes, ',')");

  @Test
  void signalsPerWindowStockCoverAndReasonsAreAsComputedByHand() {
    PriceRecommendationsJob.cycle(shop.spark, shop.tables, PricingRuleTest.SETTINGS, AS_OF);
    assertRows(recommendations(), List.of("product_id", "demand['1h'].views", "demand['24h'].views", "demand['7d'].views",
            "demand['1h'].carts", "demand['7d'].carts", "demand['1h'].purchases", "demand['24h'].purchases",
            "purchases", "conversion", "round(sales_velocity, 4)", "available", "round(stock_cover_days, 2)"),
        List.of(
            row(1L, 30L, 80L, 100L, 4L, 10L, 1L, 1L, 11L, 0.11, 1.7143, 100L, 58.33),
            row(2L, 0L, 0L, 0L, 0L, 0L, 1L, 1L, 1L, null, 0.1429, 0L, 0.0),
            row(3L, null, null, null, null, null, null, null, 0L, null, 0.0, 40L, null)));
    assertRows(recommendations(), PRICES, List.of(
        row(1L, new BigDecimal("100.00"), new BigDecimal("100.00"), new BigDecimal("105.00"), new BigDecimal("5.00"),
            "HIGH_DEMAND"),
        row(2L, new BigDecimal("20.00"), new BigDecimal("20.00"), new BigDecimal("21.45"), new BigDecimal("7.25"),
            "LOW_STOCK_COVER,CLAMPED_MIN_MARGIN"),
        row(3L, new BigDecimal("50.00"), new BigDecimal("50.00"), new BigDecimal("50.00"), new BigDecimal("0.00"),
            "NO_SIGNAL")));
  }

  @Test
  void aRerunInTheSameCycleStepsFromTheSamePriceAndTheNextCycleFromTheRecommendation() {
    PriceRecommendationsJob.cycle(shop.spark, shop.tables, PricingRuleTest.SETTINGS, AS_OF);
    PriceRecommendationsJob.cycle(shop.spark, shop.tables, PricingRuleTest.SETTINGS, AS_OF.plusSeconds(1800));
    assertRows(recommendations().filter("product_id = 1"), PRICES, List.of(
        row(1L, new BigDecimal("100.00"), new BigDecimal("100.00"), new BigDecimal("105.00"), new BigDecimal("5.00"),
            "HIGH_DEMAND")));
    // Next day: the same 100 views and 11 orders are still inside 7 days; 105 × 1.05 = 110.25.
    PriceRecommendationsJob.cycle(shop.spark, shop.tables, PricingRuleTest.SETTINGS, AS_OF.plusSeconds(86_400));
    assertRows(recommendations().filter("product_id = 1"), PRICES, List.of(
        row(1L, new BigDecimal("100.00"), new BigDecimal("105.00"), new BigDecimal("110.25"), new BigDecimal("5.00"),
            "HIGH_DEMAND")));
  }

  @Test
  void eachAvailableNowRunOfTheJobIsOneCycle() throws Exception {
    JobContext ctx = new JobContext(shop.spark, shop.config, shop.tables, Trigger.AvailableNow());
    for (int run = 0; run < 2; run++) {
      StreamingQuery query = new PriceRecommendationsJob(PricingSettings.from(shop.config)).start(ctx);
      query.awaitTermination();
      assertThat(query.exception().isEmpty()).isTrue();
    }
    long merges = shop.spark.sql("DESCRIBE HISTORY delta.`" + shop.tables.path(Tables.GOLD_PRICE_RECOMMENDATIONS) + "`")
        .filter("operation = 'MERGE'").count();
    assertThat(merges).isEqualTo(2);
    assertThat(recommendations().select("product_id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList())
        .containsExactlyInAnyOrder(1L, 2L, 3L);
  }
}
