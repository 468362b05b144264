package io.shoplake.anomalies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.shoplake.anomalies.AnomalyDetector.AlertEvent;
import io.shoplake.anomalies.AnomalyDetector.Incident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The detector alone, on counts laid out bucket by bucket, fed as the job's batches would feed it. */
class AnomalyDetectorTest {
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long BUCKET = 10_000;
  private static final long HOUR = 3_600_000;

  private static AnomalySettings settings(long season) {
    return new AnomalySettings(BUCKET, BUCKET, season, 7, 12, 3.0, 20, 0.05, 0.2, 0.2, 20, 2, HOUR, "ops.alerts");
  }

  private static long bucket(int i) {
    return T0 + i * BUCKET;
  }

  /**
   * Thirty buckets: a burst on one topic, a stop of another, a flood of records ingest cannot read
   * on a third, a flood of invalid rows into one job.
   */
  private static Timeline plantedIncidents() {
    Timeline t = new Timeline();
    for (int i = 0; i < 30; i++) {
      t.add(SignalCounts.RECORDS, "clickstream", i, i == 10 || i == 11 ? 150 : 30);
      t.add(SignalCounts.RECORDS, "shop.inventory", i, i >= 15 && i < 20 ? 0 : 30);
      t.add(SignalCounts.RECORDS, "shop.orders", i, 25 + i % 3);
      t.add(SignalCounts.RECORDS, "events.order", i, i == 5 || i == 6 ? 30 + 40 : 30);
      t.add(SignalCounts.MALFORMED, "events.order", i, i == 5 || i == 6 ? 40 : 0);
      t.add(SignalCounts.ROWS_IN, "silver.clickstream", i, 30);
      t.add(SignalCounts.QUARANTINED, "silver.clickstream", i, i == 22 || i == 23 ? 25 : 1);
      t.add(SignalCounts.ROWS_IN, "silver.inventory", i, 30);
      t.add(SignalCounts.DUPLICATE, "silver.inventory", i, 2);
      t.add(SignalCounts.STALE, "silver.inventory", i, 3);
    }
    return t;
  }

  @Test
  void aBurstAStopAndFloodsOfMalformedRecordsAndInvalidRowsEachOpenOneAlertAndResolveIt() {
    List<AlertEvent> events = plantedIncidents().runBatches(settings(24 * HOUR), 30);

    assertThat(events).extracting(e -> e.check() + " " + e.subject() + " " + e.kind() + " " + e.state() + " "
            + (e.bucket() - T0) / BUCKET)
        .containsExactly(
            "MALFORMED_RATE events.order MALFORMED_RATE OPENED 5",
            "MALFORMED_RATE events.order MALFORMED_RATE RESOLVED 8",
            "VOLUME_HIGH clickstream VOLUME_SPIKE OPENED 10",
            "VOLUME_HIGH clickstream VOLUME_SPIKE RESOLVED 13",
            "VOLUME_LOW shop.inventory SILENT_STOP OPENED 15",
            "VOLUME_LOW shop.inventory SILENT_STOP RESOLVED 21",
            "QUARANTINE_RATE silver.clickstream QUARANTINE_RATE OPENED 22",
            "QUARANTINE_RATE silver.clickstream QUARANTINE_RATE RESOLVED 25");
    AlertEvent burst = events.get(2);
    assertThat(burst.alertId()).isEqualTo("VOLUME_HIGH/clickstream/2026-11-25T10:01:40Z");
    assertThat(events.get(3).alertId()).isEqualTo(burst.alertId());
    assertThat(burst.observed()).isEqualTo(150);
    assertThat(burst.expected()).isEqualTo(30);
    assertThat(burst.message()).contains("clickstream").contains("150 records").contains("about 30");
    // Unreadable records are a share of all the topic carried; 70 against 30 is no spike.
    assertThat(events.get(0).observed()).isCloseTo(40.0 / 70, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(events.get(0).message()).contains("events.order: malformed 57.1 % of its records");
    // The stop's baseline is held at what it was before the stop, not dragged down by it.
    assertThat(events.get(5).expected()).isEqualTo(30);
    assertThat(events.get(6).observed()).isCloseTo(25.0 / 30, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void batchesOfAnySizeFindTheSameTransitionsAsOneRunOverEverything() {
    List<AlertEvent> once = plantedIncidents().runBatches(settings(24 * HOUR), 1);
    List<AlertEvent> bucketByBucket = plantedIncidents().runBatches(settings(24 * HOUR), 30);
    assertThat(once).hasSize(8).containsExactlyInAnyOrderElementsOf(bucketByBucket);
  }

  @Test
  void aBatchJudgedAgainAfterACrashFindsTheSameAlertsAndNothingOnceTheyAreRecorded() {
    Timeline t = plantedIncidents();
    AnomalySettings s = settings(24 * HOUR);
    List<AlertEvent> first = t.judge(s, 29, List.of());
    // The events went to Kafka, then the process died before they were recorded: judged again, the same ids.
    assertThat(t.judge(s, 29, List.of())).isEqualTo(first);
    assertThat(t.judge(s, 29, Timeline.latest(first))).isEmpty();
  }

  @Test
  void anOpenIncidentIsTakenUpWhereItWasWhateverTheLookback() {
    Timeline t = new Timeline();
    for (int i = 0; i < 400; i++) t.add(SignalCounts.RECORDS, "clickstream", i, i < 100 ? 30 : 0);
    for (int i = 0; i < 400; i++) t.add(SignalCounts.RECORDS, "shop.orders", i, 30);
    AnomalySettings s = settings(24 * HOUR);
    List<AlertEvent> opened = t.judge(s, 120, List.of());
    assertThat(opened).extracting(AlertEvent::state, AlertEvent::kind).containsExactly(
        tuple("OPENED", "SILENT_STOP"));
    // Long past the lookback (an hour: 360 buckets), the stop is still the same incident: no second alert.
    assertThat(t.judge(s, 399, Timeline.latest(opened))).isEmpty();
    t.add(SignalCounts.RECORDS, "clickstream", 400, 30);
    t.add(SignalCounts.RECORDS, "clickstream", 401, 30);
    for (int i = 400; i < 404; i++) t.add(SignalCounts.RECORDS, "shop.orders", i, 30);
    assertThat(t.judge(s, 403, Timeline.latest(opened))).extracting(AlertEvent::alertId, AlertEvent::state)
        .containsExactly(tuple(opened.get(0).alertId(), "RESOLVED"));
  }

  @Test
  void theBaselineIsTheSameTimeInEarlierSeasonsOnceThereIsThatMuchHistory() {
    // Each hour (the season here) opens with ten busy minutes: 60 buckets of 100, then 300 of 10.
    IntFunction<Long> shop = i -> i % 360 < 60 ? 100L : 10L;
    Timeline seasonal = new Timeline();
    for (int i = 0; i < 3 * 360 - 200; i++) seasonal.add(SignalCounts.RECORDS, "clickstream", i, shop.apply(i));
    // The third hour's busy minutes are expected; a burst in its quiet part is not.
    seasonal.add(SignalCounts.RECORDS, "clickstream", 2 * 360 + 120, 80);
    assertThat(seasonal.runBatches(settings(HOUR), 1))
        .extracting(AlertEvent::kind, AlertEvent::state, e -> (e.bucket() - T0) / BUCKET)
        .containsExactly(tuple("VOLUME_SPIKE", "OPENED", 2L * 360 + 120), tuple("VOLUME_SPIKE", "RESOLVED", 2L * 360 + 122));

    // The same hours with no season behind them: the busy start is a spike against the quiet before it.
    Timeline fresh = new Timeline();
    for (int i = 2 * 360 - 100; i < 2 * 360 + 100; i++) fresh.add(SignalCounts.RECORDS, "clickstream", i, shop.apply(i));
    assertThat(fresh.runBatches(settings(HOUR), 1))
        .extracting(AlertEvent::kind, AlertEvent::state, e -> (e.bucket() - T0) / BUCKET)
        .contains(tuple("VOLUME_SPIKE", "OPENED", 2L * 360));
  }

  @Test
  void quietTopicsAndSmallJobsRaiseNothing() {
    Timeline t = new Timeline();
    for (int i = 0; i < 60; i++) {
      t.add(SignalCounts.RECORDS, "shop.customers", i, i % 5 == 0 ? 6 : 0);
      t.add(SignalCounts.MALFORMED, "shop.customers", i, i % 5 == 0 ? 6 : 0);
      t.add(SignalCounts.ROWS_IN, "silver.customers", i, 5);
      t.add(SignalCounts.QUARANTINED, "silver.customers", i, 5);
    }
    assertThat(t.runBatches(settings(24 * HOUR), 60)).isEmpty();
  }

  /** Counts by bucket index, replayed through the detector as the job's batches would. */
  private static final class Timeline {
    final Map<String, Map<String, Map<Long, Long>>> bySignal = new LinkedHashMap<>();

    void add(String signal, String subject, int i, long n) {
      bySignal.computeIfAbsent(signal, k -> new HashMap<>()).computeIfAbsent(subject, k -> new HashMap<>())
          .merge(bucket(i), n, Long::sum);
    }

    /** Judges as of the newest bucket {@code upTo}, from what was counted until then. */
    List<AlertEvent> judge(AnomalySettings s, int upTo, List<Incident> recorded) {
      SignalCounts seen = new SignalCounts();
      Map<String, Long> newest = new HashMap<>();
      bySignal.forEach((signal, subjects) -> subjects.forEach((subject, buckets) -> buckets.forEach((b, n) -> {
        if (b <= bucket(upTo)) {
          seen.add(signal, subject, b, n);
          newest.merge(signal, b, Math::max);
        }
      })));
      Map<String, Map<String, Long>> first = new HashMap<>();
      for (String signal : bySignal.keySet()) first.put(signal, seen.firstBuckets(signal));
      AnomalyDetector detector = new AnomalyDetector(s, first, newest, recorded);
      // What the job reads: only the detector's ranges, so a range it forgets shows here.
      SignalCounts read = new SignalCounts();
      bySignal.forEach((signal, subjects) -> subjects.forEach((subject, buckets) -> buckets.forEach((b, n) -> {
        if (b <= bucket(upTo) && detector.ranges().stream().anyMatch(r -> b >= r[0] && b <= r[1])) {
          read.add(signal, subject, b, n);
        }
      })));
      return detector.detect(read);
    }

    /** {@code batches} batches over the timeline, each recording what the one before found. */
    List<AlertEvent> runBatches(AnomalySettings s, int batches) {
      int last = bySignal.values().stream().flatMap(m -> m.values().stream()).flatMap(m -> m.keySet().stream())
          .mapToInt(b -> (int) ((b - T0) / BUCKET)).max().orElseThrow();
      List<AlertEvent> all = new ArrayList<>();
      for (int n = 1; n <= batches; n++) {
        int upTo = batches == 1 ? last : (int) ((long) last * n / batches);
        all.addAll(judge(s, upTo, latest(all)));
      }
      return all;
    }

    static List<Incident> latest(List<AlertEvent> events) {
      Map<String, Incident> latest = new LinkedHashMap<>();
      for (AlertEvent e : events) {
        latest.put(e.check() + "/" + e.subject(), new Incident(e.alertId(), e.check(), e.subject(), e.kind(),
            e.openedBucket(), e.state().equals(AnomalyDetector.RESOLVED) ? e.bucket() : null));
      }
      return List.copyOf(latest.values());
    }
  }
}
