package io.shoplake.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Where a pipeline's time goes: per streaming query, its micro-batches (with and without input),
 * the wall time they took and the rows they read, from progress events since the last reset.
 */
final class QueryCosts extends StreamingQueryListener {
  /**
   * One query's batches so far; {@code startedMillis} (since the last reset, -1 if before it) and
   * {@code wallMillis} (start to end, -1 while running) place it in a run.
   */
  record Cost(String query, int batches, int withInput, long busyMillis, long rows, long medianMillis,
      long startedMillis, long wallMillis) {}

  private final Map<String, List<Long>> millisByQuery = new TreeMap<>();
  private final Map<String, long[]> countsByQuery = new TreeMap<>();
  private final Map<java.util.UUID, String> names = new java.util.HashMap<>();
  private final Map<String, Long> startedNanos = new java.util.HashMap<>();
  private final Map<String, Long> endedNanos = new java.util.HashMap<>();
  private long resetNanos = System.nanoTime();

  @Override
  public synchronized void onQueryStarted(QueryStartedEvent event) {
    String name = String.valueOf(event.name());
    names.put(event.id(), name);
    startedNanos.put(name, System.nanoTime());
    endedNanos.remove(name);
  }

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    String name = String.valueOf(event.progress().name());
    Object trigger = event.progress().durationMs().get("triggerExecution");
    long millis = trigger == null ? 0 : ((Number) trigger).longValue();
    long rows = event.progress().numInputRows();
    millisByQuery.computeIfAbsent(name, n -> new ArrayList<>()).add(millis);
    long[] counts = countsByQuery.computeIfAbsent(name, n -> new long[2]);
    if (rows > 0) counts[0]++;
    counts[1] += rows;
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
    String name = names.get(event.id());
    if (name != null) endedNanos.put(name, System.nanoTime());
  }

  synchronized void reset() {
    millisByQuery.clear();
    countsByQuery.clear();
    resetNanos = System.nanoTime();
  }

  /** Every query's cost, the busiest first. */
  synchronized List<Cost> costs() {
    List<Cost> costs = new ArrayList<>();
    millisByQuery.forEach((query, millis) -> {
      List<Long> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      long[] counts = countsByQuery.get(query);
      Long started = startedNanos.get(query);
      Long ended = endedNanos.get(query);
      costs.add(new Cost(query, sorted.size(), (int) counts[0], sorted.stream().mapToLong(Long::longValue).sum(),
          counts[1], sorted.get(sorted.size() / 2),
          started == null || started < resetNanos ? -1 : (started - resetNanos) / 1_000_000,
          started == null || ended == null ? -1 : (ended - started) / 1_000_000));
    });
    costs.sort((a, b) -> Long.compare(b.busyMillis(), a.busyMillis()));
    return costs;
  }
}
