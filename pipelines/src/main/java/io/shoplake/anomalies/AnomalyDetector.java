package io.shoplake.anomalies;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Judges closed buckets against their baselines and follows each check's incidents per subject,
 * so that an incident alerts once when it opens and once when it resolves.
 *
 * <p>Deterministic in its inputs: a restart, or a batch replayed after a crash, judges from the
 * last recorded transition of each check and subject again and so finds the same incidents
 * with the same ids. An open incident is taken up where it was, its baseline held at what it
 * was before the incident: a long stop does not become the normal it is compared with.
 */
public final class AnomalyDetector {
  /** Opened or resolved. */
  public static final String OPENED = "OPENED";
  public static final String RESOLVED = "RESOLVED";

  /** The newest recorded incident of a check and subject; {@code resolvedBucket} null while open. */
  public record Incident(String alertId, Check check, String subject, String kind, long openedBucket, Long resolvedBucket) {}

  /**
   * One transition. {@code bucket} is the bucket that opened the incident or confirmed its
   * resolution; {@code observed} and {@code expected} are that bucket's (records, or a share).
   */
  public record AlertEvent(String alertId, String state, Check check, String kind, String subject, long openedBucket,
      long bucket, double observed, double expected, String message) {}

  private record Judgement(boolean anomalous, double observed, double expected) {}

  private final AnomalySettings s;
  private final Map<String, Map<String, Long>> firstBuckets;
  private final Map<String, Long> newestBuckets;
  private final Map<String, Incident> latest = new HashMap<>();

  /**
   * @param firstBuckets signal → subject → its first counted bucket: where its history starts
   * @param newestBuckets signal → its newest counted bucket, any subject: the signal's clock
   * @param recorded the newest recorded incident of each check and subject
   */
  public AnomalyDetector(AnomalySettings settings, Map<String, Map<String, Long>> firstBuckets,
      Map<String, Long> newestBuckets, Collection<Incident> recorded) {
    this.s = settings;
    this.firstBuckets = firstBuckets;
    this.newestBuckets = newestBuckets;
    recorded.forEach(i -> latest.put(i.check() + "/" + i.subject(), i));
  }

  /** The newest bucket of the check's signal that is closed: records a grace period past its end exist. */
  long lastClosed(Check check) {
    Long newest = newestBuckets.get(check.base);
    return newest == null ? Long.MIN_VALUE : s.bucketOf(newest - s.graceMillis() - s.bucketMillis());
  }

  /** The first bucket this run judges for the check and subject. */
  long firstToJudge(Check check, String subject) {
    long from = Math.max(s.bucketOf(lastClosed(check) - s.lookbackMillis()) + s.bucketMillis(),
        firstBuckets.get(check.base).get(subject));
    Incident last = latest.get(check + "/" + subject);
    if (last == null) return from;
    return last.resolvedBucket() == null ? last.openedBucket() + s.bucketMillis()
        : Math.max(from, last.resolvedBucket() + s.bucketMillis());
  }

  /**
   * The bucket ranges {@link #detect} reads, as {@code [from, to]} pairs of bucket starts: the
   * buckets judged, back to the newest recorded incident when it is recent, with the trailing
   * baseline before them; and the same span one to {@code seasons} seasons back. Empty when
   * nothing is closed yet.
   */
  public List<long[]> ranges() {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    long trailing = s.trailingBuckets() * s.bucketMillis();
    for (Check check : Check.values()) {
      long closed = lastClosed(check);
      for (String subject : firstBuckets.getOrDefault(check.base, Map.of()).keySet()) {
        long first = firstToJudge(check, subject);
        if (first > closed) continue;
        Incident last = latest.get(check + "/" + subject);
        if (last != null && (last.resolvedBucket() == null || last.resolvedBucket() >= first - trailing)) {
          first = Math.min(first, last.openedBucket());
        }
        from = Math.min(from, first);
        to = Math.max(to, closed);
      }
    }
    if (from > to) return List.of();
    List<long[]> ranges = new ArrayList<>();
    ranges.add(new long[] {from - trailing, to});
    for (int k = 1; k <= s.seasons(); k++) ranges.add(new long[] {from - k * s.seasonMillis(), to - k * s.seasonMillis()});
    return ranges;
  }

  /** The transitions since the recorded ones, in bucket order per subject. */
  public List<AlertEvent> detect(SignalCounts counts) {
    List<AlertEvent> events = new ArrayList<>();
    for (String topic : subjects(SignalCounts.RECORDS)) {
      follow(List.of(Check.VOLUME_HIGH, Check.VOLUME_LOW), topic, counts, events);
      follow(List.of(Check.MALFORMED_RATE), topic, counts, events);
    }
    for (Check rate : List.of(Check.QUARANTINE_RATE, Check.DUPLICATE_RATE, Check.OUT_OF_ORDER_RATE)) {
      for (String job : subjects(SignalCounts.ROWS_IN)) follow(List.of(rate), job, counts, events);
    }
    return events;
  }

  private List<String> subjects(String signal) {
    return firstBuckets.getOrDefault(signal, Map.of()).keySet().stream().sorted().toList();
  }

  /** One check's state for one subject while its buckets are judged. */
  private final class Follower {
    final Check check;
    final long from;
    Incident open;
    int normal;

    Follower(Check check, String subject) {
      this.check = check;
      this.from = firstToJudge(check, subject);
      Incident last = latest.get(check + "/" + subject);
      this.open = last != null && last.resolvedBucket() == null ? last : null;
    }
  }

  /**
   * Follows checks of one subject bucket by bucket, together: the volume checks share a
   * baseline, which leaves out the buckets of either's incidents (recorded, open, or found now).
   */
  private void follow(List<Check> checks, String subject, SignalCounts counts, List<AlertEvent> events) {
    List<Follower> followers = checks.stream().map(c -> new Follower(c, subject)).toList();
    List<long[]> incidents = new ArrayList<>();
    for (Check check : checks) {
      Incident last = latest.get(check + "/" + subject);
      if (last != null) incidents.add(new long[] {last.openedBucket(), last.resolvedBucket() == null ? Long.MAX_VALUE : last.resolvedBucket()});
    }
    long closed = lastClosed(checks.get(0));
    long first = followers.stream().mapToLong(f -> f.from).min().orElseThrow();
    for (long b = first; b <= closed; b += s.bucketMillis()) {
      for (Follower f : followers) {
        if (b < f.from) continue;
        Judgement j = judge(f.check, subject, b, incidents, counts);
        if (j == null) continue;
        if (j.anomalous()) {
          f.normal = 0;
          if (f.open == null) {
            f.open = new Incident(f.check + "/" + subject + "/" + Instant.ofEpochMilli(b), f.check, subject,
                f.check.kind(j.observed()), b, null);
            incidents.add(new long[] {b, Long.MAX_VALUE});
            events.add(new AlertEvent(f.open.alertId(), OPENED, f.check, f.open.kind(), subject, b, b, j.observed(),
                j.expected(), describe(f.check, f.open.kind(), subject, b, j)));
          }
        } else if (f.open != null && ++f.normal >= s.resolveAfter()) {
          long opened = f.open.openedBucket();
          long resolved = b;
          incidents.replaceAll(span -> span[0] == opened && span[1] == Long.MAX_VALUE ? new long[] {opened, resolved} : span);
          events.add(new AlertEvent(f.open.alertId(), RESOLVED, f.check, f.open.kind(), subject, opened, b,
              j.observed(), j.expected(), "back to normal: " + describe(f.check, f.open.kind(), subject, b, j)));
          f.open = null;
          f.normal = 0;
        }
      }
    }
  }

  /** Null when the bucket tells nothing: no baseline yet, or too few rows for a rate. */
  private Judgement judge(Check check, String subject, long bucket, List<long[]> incidents, SignalCounts counts) {
    if (check.part != null) {
      long rows = counts.count(check.base, subject, bucket);
      if (rows < s.minRows() || rows == 0) return null;
      double share = (double) counts.count(check.part, subject, bucket) / rows;
      return new Judgement(share > limit(check), share, limit(check));
    }
    OptionalDouble baseline = baseline(subject, bucket, incidents, counts);
    if (baseline.isEmpty()) return null;
    double expected = baseline.getAsDouble();
    double observed = counts.count(check.base, subject, bucket);
    boolean anomalous = check == Check.VOLUME_HIGH
        ? observed > expected * s.volumeFactor() && observed - expected >= s.minRecords()
        : observed < expected / s.volumeFactor() && expected - observed >= s.minRecords();
    return new Judgement(anomalous, observed, expected);
  }

  private double limit(Check check) {
    return switch (check) {
      case QUARANTINE_RATE, MALFORMED_RATE -> s.maxQuarantineRate();
      case DUPLICATE_RATE -> s.maxDuplicateRate();
      default -> s.maxOutOfOrderRate();
    };
  }

  /**
   * The median of the same bucket in the past seasons the subject has history for. Before it
   * has a season of history, the median of the trailing buckets before it that no incident
   * covers, of which at least half must be history: a stop is not the normal it ends in.
   */
  private OptionalDouble baseline(String subject, long bucket, List<long[]> incidents, SignalCounts counts) {
    long first = firstBuckets.get(SignalCounts.RECORDS).get(subject);
    List<Long> values = new ArrayList<>();
    for (int k = 1; k <= s.seasons(); k++) {
      long then = bucket - k * s.seasonMillis();
      if (then >= first) values.add(counts.count(SignalCounts.RECORDS, subject, then));
    }
    if (!values.isEmpty()) return OptionalDouble.of(median(values));
    long then = bucket - s.bucketMillis();
    while (values.size() < s.trailingBuckets() && then >= first) {
      long at = then;
      long[] covering = incidents.stream().filter(span -> at >= span[0] && at <= span[1]).findFirst().orElse(null);
      if (covering != null) {
        then = covering[0] - s.bucketMillis();
        continue;
      }
      values.add(counts.count(SignalCounts.RECORDS, subject, then));
      then -= s.bucketMillis();
    }
    if (values.size() * 2 < s.trailingBuckets()) return OptionalDouble.empty();
    return OptionalDouble.of(median(values));
  }

  private static double median(List<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private String describe(Check check, String kind, String subject, long bucket, Judgement j) {
    String when = Instant.ofEpochMilli(bucket) + " (" + s.bucketMillis() / 1000 + " s)";
    if (check.part != null) {
      String of = check.base.equals(SignalCounts.RECORDS) ? "its records" : "its input rows";
      return String.format(java.util.Locale.ROOT, "%s: %s %.1f %% of %s in the bucket from %s, limit %.1f %%",
          subject, check.part, 100 * j.observed(), of, when, 100 * j.expected());
    }
    return String.format(java.util.Locale.ROOT, "%s: %s, %.0f records in the bucket from %s against about %.0f", subject,
        kind, j.observed(), when, j.expected());
  }
}
