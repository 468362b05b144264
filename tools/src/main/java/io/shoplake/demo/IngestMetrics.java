package io.shoplake.demo;

import io.shoplake.core.KafkaProgress;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Rows each streaming query has processed, the busy time of one of them, and the Kafka offsets
 * it has read to, from progress events: progress reporting costs no Spark job of its own.
 */
public final class IngestMetrics extends StreamingQueryListener {
  private final String ingestQuery;
  private final Map<String, Long> rowsByQuery = new HashMap<>();
  private long busyMillis;
  private Map<TopicPartition, Long> readTo = Map.of();

  public IngestMetrics(String ingestQuery) {
    this.ingestQuery = ingestQuery;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    String name = event.progress().name();
    long rows = event.progress().numInputRows();
    rowsByQuery.merge(name, rows, Long::sum);
    if (!ingestQuery.equals(name)) return;
    Object trigger = event.progress().durationMs().get("triggerExecution");
    if (trigger != null && rows > 0) busyMillis += ((Number) trigger).longValue();
    readTo = Map.copyOf(KafkaProgress.readTo(event.progress().sources()));
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  /** Input rows the query has processed so far. */
  public synchronized long rows(String query) {
    return rowsByQuery.getOrDefault(query, 0L);
  }

  /** Input rows every query has processed so far. */
  public synchronized long totalRows() {
    return rowsByQuery.values().stream().mapToLong(Long::longValue).sum();
  }

  public synchronized long rows() {
    return rows(ingestQuery);
  }

  /** Ingested rows per second while ingest was processing data. */
  public synchronized double rowsPerSecond() {
    return busyMillis == 0 ? 0 : rows() * 1000.0 / busyMillis;
  }

  /** The Kafka offsets the ingest query's last batch read to. */
  public synchronized Map<TopicPartition, Long> readTo() {
    return readTo;
  }
}
