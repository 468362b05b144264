package io.shoplake.anomalies;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * How many of a signal's units fell in each bucket, per subject: records per source topic
 * ({@link #RECORDS}), or a job's input rows and what became of them, by batch start.
 */
public final class SignalCounts {
  /** Records a source topic carried, readable or not, by their Kafka timestamp; subject: the topic. */
  public static final String RECORDS = "records";
  /** Of {@link #RECORDS}, those ingest could not read and quarantined. */
  public static final String MALFORMED = "malformed";
  /** Rows a job's batches read, by batch start; subject: the job (ingest's unreadable records are {@link #MALFORMED}). */
  public static final String ROWS_IN = "rows_in";
  public static final String QUARANTINED = "quarantined";
  public static final String DUPLICATE = "duplicate";
  /** Changes older than what their table already held: out of order. */
  public static final String STALE = "stale";

  private final Map<String, Map<String, NavigableMap<Long, Long>>> counts = new HashMap<>();

  public SignalCounts add(String signal, String subject, long bucket, long n) {
    counts.computeIfAbsent(signal, s -> new HashMap<>()).computeIfAbsent(subject, s -> new TreeMap<>())
        .merge(bucket, n, Long::sum);
    return this;
  }

  /** Zero for a bucket nothing was counted in. */
  public long count(String signal, String subject, long bucket) {
    return counts.getOrDefault(signal, Map.of()).getOrDefault(subject, Collections.emptyNavigableMap()).getOrDefault(bucket, 0L);
  }

  /** Subject → its first bucket, per signal: where each series' history starts. */
  public Map<String, Long> firstBuckets(String signal) {
    Map<String, Long> first = new HashMap<>();
    counts.getOrDefault(signal, Map.of()).forEach((subject, buckets) -> first.put(subject, buckets.firstKey()));
    return first;
  }
}
