package io.shoplake.clickstream;

import static io.shoplake.testing.Clicks.cart;
import static io.shoplake.testing.Clicks.checkout;
import static io.shoplake.testing.Clicks.purchase;
import static io.shoplake.testing.Clicks.view;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.shoplake.core.Tables;
import io.shoplake.checks.ClickstreamReconciliation;
import io.shoplake.testing.Clicks;
import io.shoplake.testing.RowAssert;
import io.shoplake.testing.ClickstreamHarness;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** silver.clickstream run for real (available-now) on bronze rows built by {@link Clicks}. */
class ClickstreamJobTest {
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long MIN = 60_000;

  @TempDir Path warehouse;

  private ClickstreamHarness harness(Map<String, String> overrides) {
    return new ClickstreamHarness(warehouse, overrides);
  }

  private static Timestamp at(long millis) {
    return new Timestamp(millis);
  }

  @Test
  void aResentEventIsWrittenOnceAndItsFieldsAreTyped() throws Exception {
    var h = harness(Map.of());
    Clicks first = view("s1", 7, T0).id("e1").customer(42).attribute("page", "product");
    Clicks resend = view("s1", 7, T0).id("e1").customer(42).attribute("page", "product").arrivedAt(T0 + 3000);
    h.land(first, resend, cart("s1", 7, T0 + 2000).id("e2").field("attributes", "{\"quantity\":2}"));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM),
        List.of("event_id", "session_id", "client_session_id", "customer_id", "product_id", "event_type", "channel",
            "event_ts", "to_json(attributes)", "_topic", "_partition"),
        List.of(
            row("e1", "s1#1", "s1", 42L, 7L, "view", "web", at(T0), "{\"page\":\"product\"}", "clickstream", 0),
            row("e2", "s1#1", "s1", null, 7L, "add_to_cart", "web", at(T0 + 2000), "{\"quantity\":\"2\"}",
                "clickstream", 0)));
    // Which copy of e1 is kept is the streaming dedupe's choice; its coordinates are that copy's.
    assertThat(RowAssert.values(h.table(Tables.SILVER_CLICKSTREAM).filter("event_id = 'e1'")
        .select("_offset", "_ingested_at"))).isIn(List.of(List.of(0L, at(T0 + 1000))), List.of(List.of(1L, at(T0 + 3000))));
    assertThat(h.quarantine().count()).isZero();
    // The batch without data that follows the watermark's move writes nothing: one MERGE, one report.
    assertThat(h.table(Tables.PIPELINE_EVENTS).filter("job = 'silver.clickstream'").count()).isOne();
    assertThat(DeltaTable.forPath(h.spark, h.tables.path(Tables.SILVER_CLICKSTREAM)).history()
        .filter("operation = 'MERGE'").count()).isOne();
  }

  @Test
  void aReplayedBronzeBatchAndARerunWriteNothingTwice() throws Exception {
    var h = harness(Map.of());
    Clicks a = view("s1", 1, T0).id("a");
    Clicks b = cart("s1", 1, T0 + MIN).id("b");
    Clicks bad = Clicks.raw("{\"event_id\":\"x\"}", T0 + MIN);
    h.land(a, b, bad);
    h.run(h.clickstreamJob());
    // Kafka redelivers the same records at the same offsets; the job also runs again.
    h.landAgain(0, a, b, bad);
    h.run(h.clickstreamJob());
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id", "session_id"),
        List.of(row("a", "s1#1"), row("b", "s1#1")));
    assertRows(h.table(Tables.SILVER_CLICKSTREAM_SESSIONS), List.of("session_id", "events"), List.of(row("s1#1", 2L)));
    assertThat(h.quarantine().count()).isEqualTo(1);
  }

  @Test
  void aMicroBatchAppliedTwiceWritesNothingTwice() throws Exception {
    var h = harness(Map.of());
    h.land(view("s1", 1, T0).id("a"), Clicks.raw("not json", T0));
    var decoded = ClickEvents.decode(h.table(Tables.bronzeFor(Clicks.TOPIC)), ClickEventContract.load(),
        ClickstreamSettings.from(h.config));
    ClickstreamJob.applyBatch(h.spark, h.tables, ClickstreamSettings.from(h.config), decoded, 0);
    ClickstreamJob.applyBatch(h.spark, h.tables, ClickstreamSettings.from(h.config), decoded, 0);

    assertThat(h.table(Tables.SILVER_CLICKSTREAM).count()).isEqualTo(1);
    assertThat(h.table(Tables.SILVER_CLICKSTREAM_SESSIONS).count()).isEqualTo(1);
    assertRows(h.quarantine(), List.of("error_class", "offset"), List.of(row("MALFORMED_JSON", 1L)));
  }

  @Test
  void anEventLaterThanTheAllowedLatenessIsQuarantinedAsLateWithItsCoordinates() throws Exception {
    var h = harness(Map.of("shoplake.clickstream.allowed-lateness", "5 minutes"));
    h.land(view("s1", 1, T0).id("on-time").arrivedAt(T0 + 5 * MIN),
        view("s1", 2, T0).id("late").arrivedAt(T0 + 5 * MIN + 1),
        view("s2", 3, T0 + 10 * MIN).id("future").arrivedAt(T0 + 5 * MIN));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id"), List.of(row("on-time")));
    assertRows(h.quarantine(), List.of("stage", "source_table", "topic", "partition", "offset", "key", "error_class"),
        List.of(row("silver.clickstream", "bronze.clickstream", "clickstream", 0, 1L, "s1", "LATE_EVENT"),
            row("silver.clickstream", "bronze.clickstream", "clickstream", 0, 2L, "s2", "FUTURE_EVENT")));
    assertThat(h.quarantine().filter("error_class = 'LATE_EVENT'").first().<String>getAs("error_message"))
        .contains("300001 ms later").contains("allowed-lateness is 300000 ms");
    assertThat(new String(h.quarantine().filter("offset = 1").first().<byte[]>getAs("raw_value")))
        .contains("\"event_id\":\"late\"");
  }

  @Test
  void eventsIngestedLongAfterTheyReachedKafkaAreNotLate() throws Exception {
    var h = harness(Map.of("shoplake.clickstream.allowed-lateness", "5 minutes"));
    // The pipeline was down for two hours: the clients delivered on time, bronze caught up later.
    h.land(view("s1", 1, T0).id("a").ingestedAt(T0 + 120 * MIN), cart("s1", 1, T0 + MIN).id("b")
        .ingestedAt(T0 + 120 * MIN));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id", "_ingested_at"),
        List.of(row("a", at(T0 + 120 * MIN)), row("b", at(T0 + 120 * MIN))));
    assertThat(h.quarantine().count()).isZero();
  }

  @Test
  void aClientSessionIsSplitAtAThirtyMinuteGap() throws Exception {
    var h = harness(Map.of("shoplake.clickstream.session-gap", "30 minutes"));
    h.land(view("s1", 1, T0).id("a").customer(9),
        cart("s1", 1, T0 + 29 * MIN).id("b").customer(9),
        view("s1", 2, T0 + 59 * MIN).id("c").customer(9),
        checkout("s1", T0 + 60 * MIN).id("d").customer(9),
        purchase("s1", T0 + 61 * MIN).id("e").customer(9));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id", "session_id"),
        List.of(row("a", "s1#1"), row("b", "s1#1"), row("c", "s1#2"), row("d", "s1#2"), row("e", "s1#2")));
    assertRows(h.table(Tables.SILVER_CLICKSTREAM_SESSIONS), List.of("session_id", "client_session_id", "customer_id",
            "channel", "session_start", "session_end", "events", "views", "carts", "checkouts", "purchases"),
        List.of(row("s1#1", "s1", 9L, "web", at(T0), at(T0 + 29 * MIN), 2L, 1L, 1L, 0L, 0L),
            row("s1#2", "s1", 9L, "web", at(T0 + 59 * MIN), at(T0 + 61 * MIN), 3L, 1L, 0L, 1L, 1L)));
  }

  @Test
  void aLateEventThatBridgesTheGapMergesTwoSessionsAcrossBatches() throws Exception {
    var h = harness(Map.of());
    h.land(view("s1", 1, T0).id("a").arrivedAt(T0 + 1000), view("s1", 2, T0 + 31 * MIN).id("b"));
    h.run(h.clickstreamJob());
    assertRows(h.table(Tables.SILVER_CLICKSTREAM_SESSIONS), List.of("session_id", "events"),
        List.of(row("s1#1", 1L), row("s1#2", 1L)));

    // Happened at +28 min, reached bronze four minutes late: within the allowed lateness.
    h.land(cart("s1", 1, T0 + 28 * MIN).id("c").arrivedAt(T0 + 32 * MIN));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id", "session_id"),
        List.of(row("a", "s1#1"), row("b", "s1#1"), row("c", "s1#1")));
    assertRows(h.table(Tables.SILVER_CLICKSTREAM_SESSIONS), List.of("session_id", "session_start", "session_end",
        "events", "views", "carts"), List.of(row("s1#1", at(T0), at(T0 + 31 * MIN), 3L, 2L, 1L)));
  }

  @Test
  void aSessionClickingFasterThanTheBotLimitIsQuarantinedAsBotSuspected() throws Exception {
    var h = harness(Map.of("shoplake.clickstream.bot.max-events-per-minute", "5"));
    Clicks[] burst = new Clicks[7];
    for (int i = 0; i < burst.length; i++) burst[i] = view("bot", i, T0 + i * 1000L);
    Clicks[] person = new Clicks[5];
    for (int i = 0; i < person.length; i++) person[i] = view("human", i, T0 + i * 1000L);
    h.land(burst);
    h.land(person);
    h.run(h.clickstreamJob());
    // The human's sixth click in that minute, a batch later, crosses the limit too.
    h.land(view("human", 9, T0 + 50_000).arrivedAt(T0 + 60_000));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM).groupBy("client_session_id").count(),
        List.of("client_session_id", "count"), List.of(row("human", 5L)));
    assertRows(h.quarantine().groupBy("key", "error_class").count(), List.of("key", "error_class", "count"),
        List.of(row("bot", "BOT_SUSPECTED", 7L), row("human", "BOT_SUSPECTED", 1L)));
    assertThat(h.quarantine().filter("key = 'bot'").first().<String>getAs("error_message"))
        .isEqualTo("session bot has 7 events in the minute from 2026-11-25 10:00:00;"
            + " more than shoplake.clickstream.bot.max-events-per-minute = 5");
    assertRows(h.table(Tables.SILVER_CLICKSTREAM_SESSIONS), List.of("session_id", "events"),
        List.of(row("human#1", 5L)));
  }

  @Test
  void reconciliationAccountsForEveryBronzeRecordAndNamesTheOneSilverLost() throws Exception {
    var h = harness(Map.of("shoplake.clickstream.bot.max-events-per-minute", "5"));
    var settings = ClickstreamSettings.from(h.config);
    var empty = ClickstreamReconciliation.check(h.spark, h.tables, ClickEventContract.load(), settings);
    assertThat(List.of(empty.bronzeRows(), empty.applied(), empty.duplicate(), empty.quarantined()))
        .isEqualTo(List.of(0L, 0L, 0L, 0L));
    assertThat(empty.problems()).isEmpty();

    Clicks[] burst = new Clicks[7];
    for (int i = 0; i < burst.length; i++) burst[i] = view("bot", i, T0 + i * 1000L).id("bot-" + i);
    h.land(view("s1", 1, T0).id("a"), view("s1", 1, T0).id("a").arrivedAt(T0 + 2000),
        cart("s1", 1, T0 + MIN).id("b").arrivedAt(T0 + MIN), Clicks.raw("not json", T0));
    h.land(burst);
    h.run(h.clickstreamJob());
    // A bot click resent a batch later: the streaming dedupe drops it before the batch sees it.
    h.land(view("bot", 0, T0).id("bot-0").arrivedAt(T0 + 20_000));
    h.run(h.clickstreamJob());

    var result = ClickstreamReconciliation.check(h.spark, h.tables, ClickEventContract.load(), settings);
    assertThat(result.problems()).isEmpty();
    assertThat(List.of(result.bronzeRows(), result.applied(), result.duplicate(), result.quarantined()))
        .isEqualTo(List.of(12L, 2L, 2L, 8L));
    // The event log sees what reached the batches: the two repeats were dropped by the stream's dedupe.
    assertRows(h.table(Tables.PIPELINE_EVENTS).filter("job = 'silver.clickstream'")
            .selectExpr("sum(rows_in) r", "sum(applied) a", "sum(duplicate) d", "sum(quarantined) q",
                "sum(quarantined_by_rule['BOT_SUSPECTED']) bot", "sum(quarantined_by_rule['MALFORMED_JSON']) json"),
        List.of("r", "a", "d", "q", "bot", "json"), List.of(row(10L, 2L, 0L, 8L, 7L, 1L)));

    DeltaTable.forPath(h.spark, h.tables.path(Tables.SILVER_CLICKSTREAM)).delete("event_id = 'b'");
    var broken = ClickstreamReconciliation.check(h.spark, h.tables, ClickEventContract.load(), settings);
    assertThat(broken.lost()).containsExactly("clickstream/0/2");
    assertThat(broken.problems()).containsExactly(
        "1 bronze records neither in silver nor quarantined, e.g. [clickstream/0/2]");

    h.table(Tables.SILVER_CLICKSTREAM).filter("event_id = 'a'").write().format("delta").mode("append")
        .save(h.tables.path(Tables.SILVER_CLICKSTREAM));
    assertThat(ClickstreamReconciliation.check(h.spark, h.tables, ClickEventContract.load(), settings).problems())
        .contains("1 silver rows repeat an event id another row holds");
  }

  @Test
  void anotherEventUnderAnIdSeenBeforeIsQuarantinedAsAConflictNotCountedAsAResend() throws Exception {
    var h = harness(Map.of("shoplake.clickstream.dedupe-watermark", "1 minute",
        "shoplake.clickstream.allowed-lateness", "1 hour"));
    // Other content under the id in the same batch, and a true resend.
    h.land(view("s1", 1, T0).id("a"), view("s1", 2, T0).id("a").arrivedAt(T0 + 1000),
        view("s1", 1, T0).id("a").arrivedAt(T0 + 2000));
    h.run(h.clickstreamJob());
    // In another session while the stream remembers the id; an event much later moves the watermark past it.
    h.land(view("s2", 1, T0).id("a").arrivedAt(T0 + 3000), view("s3", 1, T0 + 10 * MIN).id("later"));
    h.run(h.clickstreamJob());
    // After the stream forgot the id: silver still holds it.
    h.land(view("s1", 3, T0).id("a").arrivedAt(T0 + 10 * MIN + 1000));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id", "client_session_id", "product_id", "_offset"),
        List.of(row("a", "s1", 1L, 0L), row("later", "s3", 1L, 4L)));
    assertRows(h.quarantine(), List.of("offset", "error_class", "error_message"), List.of(
        row(1L, "EVENT_ID_CONFLICT", "event id a was first seen at clickstream/0/0 with other content"),
        row(3L, "EVENT_ID_CONFLICT", "event id a was first seen at clickstream/0/0 with other content"),
        row(5L, "EVENT_ID_CONFLICT", "event id a is in silver from clickstream/0/0 with other content")));
    assertRows(h.table(Tables.PIPELINE_EVENTS).filter("job = 'silver.clickstream'")
            .selectExpr("sum(rows_in) r", "sum(applied) a", "sum(duplicate) d", "sum(quarantined) q"),
        List.of("r", "a", "d", "q"), List.of(row(5L, 2L, 0L, 3L)));
    var result = ClickstreamReconciliation.check(h.spark, h.tables, ClickEventContract.load(), ClickstreamSettings.from(h.config));
    assertThat(result.problems()).isEmpty();
    assertThat(List.of(result.bronzeRows(), result.applied(), result.duplicate(), result.quarantined()))
        .isEqualTo(List.of(6L, 2L, 1L, 3L));
  }

  @Test
  void recordsBreakingTheContractAreQuarantinedWithAPreciseClass() throws Exception {
    var h = harness(Map.of());
    h.land(view("s1", 1, T0).id("ok"),
        view("s1", 1, T0).field("event_type", "\"click\""),
        view("s1", 1, T0).without("channel"),
        view("s1", 1, T0).field("customer_id", "\"abc\""),
        view("s1", 1, T0).field("ts", "\"2026-11-25 10:00:00\""),
        view("s1", 1, T0).field("attributes", "[]"),
        Clicks.raw("{not json", T0),
        Clicks.raw("[1,2]", T0));
    h.run(h.clickstreamJob());

    assertRows(h.table(Tables.SILVER_CLICKSTREAM), List.of("event_id"), List.of(row("ok")));
    assertRows(h.quarantine(), List.of("offset", "error_class", "error_message"), List.of(
        row(1L, "UNKNOWN_EVENT_TYPE",
            "'event_type' is 'click'; allowed: view, add_to_cart, remove_from_cart, checkout, purchase, search"),
        row(2L, "MISSING_FIELD", "event has no 'channel'"),
        row(3L, "WRONG_TYPE", "'customer_id' must be integer or null, got string \"abc\""),
        row(4L, "BAD_TIMESTAMP", "'ts' is '2026-11-25 10:00:00', not of the form "
            + "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"),
        row(5L, "WRONG_TYPE", "'attributes' must be object, got array []"),
        row(6L, "MALFORMED_JSON", "not JSON: {not json"),
        row(7L, "MALFORMED_JSON", "not a JSON object: [1,2]")));
  }
}
