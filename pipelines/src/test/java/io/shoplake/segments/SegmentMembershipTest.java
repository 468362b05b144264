package io.shoplake.segments;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;

import io.shoplake.core.Tables;
import io.shoplake.serving.SegmentMessages;
import io.shoplake.testing.GoldFixture;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * entered_at across cycles, and what the serving job publishes from the change feed. Day 1 is
 * {@link SegmentRfmTest#fiveCustomers}; on day 2 customer 4 orders again. Day 2 scores (as of
 * 11-26 12:00): 1 R4 F5 M4 champions, 2 R2 F1 M5 hibernating, 3 R1 F3 M2 at_risk (scores
 * changed, segment kept), 4 R5 F3 M3 loyal, 5 R2 F1 M1 hibernating.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentMembershipTest {
  static final Instant DAY_1 = SegmentRfmTest.AS_OF;
  static final Instant DAY_2 = DAY_1.plus(Duration.ofDays(1));
  private static final SegmentsSettings SETTINGS = new SegmentsSettings(30L * 86_400_000, 3_600_000, 7L * 86_400_000);
  /** Two days of cycles, shared by the tests that only read them. */
  private GoldFixture shop;

  @BeforeAll
  void twoDays(@TempDir Path warehouse) {
    shop = twoDaysOfCycles(warehouse);
  }

  private static GoldFixture twoDaysOfCycles(Path warehouse) {
    GoldFixture shop = new GoldFixture(warehouse);
    SegmentRfmTest.fiveCustomers(shop);
    CustomerSegmentsJob.cycle(shop.spark, shop.tables, SETTINGS, DAY_1);
    SegmentRfmTest.order(shop, 42, 4, "paid", "30.00", "2026-11-26T10:00:00Z");
    shop.commit();
    CustomerSegmentsJob.cycle(shop.spark, shop.tables, SETTINGS, DAY_2);
    return shop;
  }

  private static Dataset<Row> segments(GoldFixture shop) {
    return shop.spark.read().format("delta").load(shop.tables.path(Tables.GOLD_CUSTOMER_SEGMENTS));
  }

  private Dataset<Row> segments() {
    return segments(shop);
  }

  private Dataset<Row> changeFeed(long version) {
    return changeFeed(shop, version);
  }

  private static Dataset<Row> changeFeed(GoldFixture shop, long version) {
    return shop.spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", version)
        .option("endingVersion", version).load(shop.tables.path(Tables.GOLD_CUSTOMER_SEGMENTS));
  }

  @Test
  void enteredAtIsKeptWhileTheSegmentStaysAndResetWhenItChanges() {
    Timestamp day1 = Timestamp.from(DAY_1);
    Timestamp day2 = Timestamp.from(DAY_2);
    assertRows(segments(), List.of("customer_id", "segment", "segment_type", "recency_score", "frequency_score",
            "monetary_score", "entered_at", "as_of"),
        List.of(
            row(1L, "champions", "rfm", 4, 5, 4, day1, day2),
            row(2L, "hibernating", "rfm", 2, 1, 5, day2, day2),
            row(3L, "at_risk", "rfm", 1, 3, 2, day1, day2),
            row(4L, "loyal", "rfm", 5, 3, 3, day2, day2),
            row(5L, "hibernating", "rfm", 2, 1, 1, day2, day2)));
  }

  @Test
  void membershipChangesAreEnteredAndLeftEventsKeyedByCustomer() {
    // Version 0 created the table, 1 is day 1, 2 is day 2.
    Dataset<Row> events = SegmentMessages.changeEvents(SegmentMessages.membershipChanges(changeFeed(2)));
    assertRows(events.select(col("key"), get_json_object(col("value"), "$.segment").as("segment"),
            get_json_object(col("value"), "$.change").as("change"), get_json_object(col("value"), "$.version").as("v")),
        List.of("key", "segment", "change", "v"),
        List.of(
            row("2", "potential_loyalist", "left", "2"), row("2", "hibernating", "entered", "2"),
            row("4", "lost", "left", "2"), row("4", "loyal", "entered", "2"),
            row("5", "potential_loyalist", "left", "2"), row("5", "hibernating", "entered", "2")));
  }

  @Test
  void redisValuesHoldEachTouchedCustomersSegmentsAtThePublishedVersion() {
    Dataset<Row> touched = SegmentMessages.membershipChanges(changeFeed(2)).select("customer_id").distinct();
    Dataset<Row> atVersion = shop.spark.read().format("delta").option("versionAsOf", 2)
        .load(shop.tables.path(Tables.GOLD_CUSTOMER_SEGMENTS));
    Dataset<Row> values = SegmentMessages.currentValues(touched, atVersion, 2, "shoplake");
    assertRows(values.select(col("redis_key"), get_json_object(col("value"), "$.segments[0].segment").as("segment"),
            get_json_object(col("value"), "$.segments[1]").as("second"),
            get_json_object(col("value"), "$.version").as("json_version"), col("version")),
        List.of("redis_key", "segment", "second", "json_version", "version"),
        List.of(
            row("shoplake:segments:2", "hibernating", null, "2", 2L),
            row("shoplake:segments:4", "loyal", null, "2", 2L),
            row("shoplake:segments:5", "hibernating", null, "2", 2L)));
  }

  @Test
  void aRerunOfTheSameDayChangesNoMembership(@TempDir Path own) {
    // A third cycle: on two days of its own, not the ones the other tests read.
    GoldFixture shop = twoDaysOfCycles(own);
    CustomerSegmentsJob.cycle(shop.spark, shop.tables, SETTINGS, DAY_2.plus(Duration.ofHours(1)));
    assertRows(SegmentMessages.membershipChanges(changeFeed(shop, 3)), List.of("customer_id"), List.of());
    assertRows(segments(shop).filter(col("customer_id").equalTo(1)), List.of("segment", "entered_at"),
        List.of(row("champions", Timestamp.from(DAY_1))));
  }

  @Test
  void aCustomerWhoseOnlyOrderWasCancelledHasNoSegment() {
    assertRows(segments().filter(col("customer_id").isin(6L, 7L)), List.of("customer_id"), List.of());
  }
}
