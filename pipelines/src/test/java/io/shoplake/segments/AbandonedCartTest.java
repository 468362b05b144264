package io.shoplake.segments;

import static io.shoplake.testing.GoldFixture.fields;
import static io.shoplake.testing.GoldFixture.ts;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.apache.spark.sql.functions.col;

import io.shoplake.core.Tables;
import io.shoplake.serving.AbandonedCartMessages;
import io.shoplake.testing.SilverClicks;
import io.shoplake.testing.GoldFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Carts on 2026-11-25 with a 1 h abandonment delay, cycles at 12:00 and 13:00. Products: 1 books
 * 10.00, 2 games 20.00, 3 toys 5.00.
 * <pre>
 * session  customer  clicks                                    then                     at 12:00     at 13:00
 * s1       10        view 1, add 1, add 2, remove 2, view 3    quiet since 09:10        abandoned
 * s2       11        add 2 09:00                               purchase event 09:20     -            -
 * s3       12        add 1 09:00                               order 10:30              -            -
 * s4       13        add 1 11:30                               quiet                    not yet      abandoned
 * s5       14        add 3 08:00                               order 08:30 cancelled    abandoned
 * s6       (anon)    add 2 08:00                               quiet                    abandoned
 * s7       15        view 1, view 2                            no cart                  -            -
 * </pre>
 */
class AbandonedCartTest {
  static final SegmentsSettings SETTINGS = new SegmentsSettings(30L * 86_400_000, 3_600_000, 7L * 86_400_000);
  private GoldFixture shop;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    shop = new GoldFixture(warehouse);
    product(1, "books", "10.00");
    product(2, "games", "20.00");
    product(3, "toys", "5.00");
    SilverClicks.of()
        .view("s1", 10L, 1, "2026-11-25T09:00:00Z").addToCart("s1", 10L, 1, "2026-11-25T09:01:00Z")
        .addToCart("s1", 10L, 2, "2026-11-25T09:02:00Z").removeFromCart("s1", 10L, 2, "2026-11-25T09:03:00Z")
        .view("s1", 10L, 3, "2026-11-25T09:10:00Z")
        .addToCart("s2", 11L, 2, "2026-11-25T09:00:00Z").purchase("s2", 11L, "2026-11-25T09:20:00Z")
        .addToCart("s3", 12L, 1, "2026-11-25T09:00:00Z")
        .addToCart("s4", 13L, 1, "2026-11-25T11:30:00Z")
        .addToCart("s5", 14L, 3, "2026-11-25T08:00:00Z")
        .addToCart("s6", null, 2, "2026-11-25T08:00:00Z")
        .view("s7", 15L, 1, "2026-11-25T10:00:00Z").view("s7", 15L, 2, "2026-11-25T10:01:00Z")
        .write(shop.spark, shop.tables);
    order(31, 12, "paid", "2026-11-25T10:30:00Z");
    order(51, 14, "cancelled", "2026-11-25T08:30:00Z");
    shop.commit();
  }

  private void product(long id, String category, String price) {
    shop.insert(Tables.SILVER_PRODUCTS, fields("product_id", id, "sku", "p" + id, "name", "P" + id, "category", category,
        "cost", new BigDecimal("1.00"), "price", new BigDecimal(price)));
  }

  private void order(long id, long customer, String status, String at) {
    shop.insert(Tables.SILVER_ORDERS, fields("order_id", id, "customer_id", customer, "status", status, "total",
        new BigDecimal("10.00"), "created_at", ts(at)));
  }

  private void cycle(String at) {
    CustomerSegmentsJob.cycle(shop.spark, shop.tables, SETTINGS, Instant.parse(at));
  }

  private Dataset<Row> carts() {
    return shop.spark.read().format("delta").load(shop.tables.path(Tables.GOLD_ABANDONED_CARTS));
  }

  private Dataset<Row> publishedEvents() {
    Dataset<Row> feed = shop.spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", 0)
        .load(shop.tables.path(Tables.GOLD_ABANDONED_CARTS));
    return AbandonedCartMessages.events(feed);
  }

  @Test
  void aQuietCartWithoutPurchaseIsAbandonedOnceAndAPurchaseOrAnActiveSessionIsNot() {
    cycle("2026-11-25T12:00:00Z");
    List<String> columns = List.of("session_id", "customer_id", "array_join(products, ',')", "cart_value", "abandoned_at",
        "detected_at");
    assertRows(carts(), columns, List.of(
        row("s1", 10L, "1", new BigDecimal("10.00"), ts("2026-11-25T10:10:00Z"), ts("2026-11-25T12:00:00Z")),
        row("s5", 14L, "3", new BigDecimal("5.00"), ts("2026-11-25T09:00:00Z"), ts("2026-11-25T12:00:00Z")),
        row("s6", null, "2", new BigDecimal("20.00"), ts("2026-11-25T09:00:00Z"), ts("2026-11-25T12:00:00Z"))));

    cycle("2026-11-25T13:00:00Z");
    // Customer 13 buys after their cart was recorded: the record and its one event stand.
    order(41, 13, "paid", "2026-11-25T13:30:00Z");
    shop.commit();
    cycle("2026-11-25T14:00:00Z");
    assertRows(carts(), columns, List.of(
        row("s1", 10L, "1", new BigDecimal("10.00"), ts("2026-11-25T10:10:00Z"), ts("2026-11-25T12:00:00Z")),
        row("s5", 14L, "3", new BigDecimal("5.00"), ts("2026-11-25T09:00:00Z"), ts("2026-11-25T12:00:00Z")),
        row("s6", null, "2", new BigDecimal("20.00"), ts("2026-11-25T09:00:00Z"), ts("2026-11-25T12:00:00Z")),
        row("s4", 13L, "1", new BigDecimal("10.00"), ts("2026-11-25T12:30:00Z"), ts("2026-11-25T13:00:00Z"))));

    assertRows(publishedEvents(), List.of("key", "get_json_object(value, '$.customer_id')"),
        List.of(row("s1", "10"), row("s5", "14"), row("s6", null), row("s4", "13")));
  }

  @Test
  void categoryAffinityAndCartAbandonersAreBehaviouralSegments() {
    cycle("2026-11-25T12:00:00Z");
    cycle("2026-11-25T13:00:00Z");
    // Customer 10: books 1 + 3, games 3 (the remove does not count), toys 1. Customer 15: a tie, books by name.
    assertRows(carts().sparkSession().read().format("delta").load(shop.tables.path(Tables.GOLD_CUSTOMER_SEGMENTS))
            .filter(col("segment_type").notEqual("rfm")),
        List.of("customer_id", "segment", "segment_type", "category", "entered_at"),
        List.of(
            row(10L, "affinity:books", "affinity", "books", ts("2026-11-25T12:00:00Z")),
            row(10L, "cart_abandoner", "behaviour", null, ts("2026-11-25T12:00:00Z")),
            row(11L, "affinity:games", "affinity", "games", ts("2026-11-25T12:00:00Z")),
            row(12L, "affinity:books", "affinity", "books", ts("2026-11-25T12:00:00Z")),
            row(13L, "affinity:books", "affinity", "books", ts("2026-11-25T12:00:00Z")),
            row(13L, "cart_abandoner", "behaviour", null, ts("2026-11-25T13:00:00Z")),
            row(14L, "affinity:toys", "affinity", "toys", ts("2026-11-25T12:00:00Z")),
            row(14L, "cart_abandoner", "behaviour", null, ts("2026-11-25T12:00:00Z")),
            row(15L, "affinity:books", "affinity", "books", ts("2026-11-25T12:00:00Z"))));
  }
}
