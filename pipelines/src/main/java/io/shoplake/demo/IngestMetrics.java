package io.shoplake.demo;

import org.apache.spark.sql.streaming.StreamingQueryListener;

/** Rows and busy time of one streaming query, summed over its micro-batches. */
public final class IngestMetrics extends StreamingQueryListener {
  private final String queryName;
  private long rows;
  private long busyMillis;
  private long sourceLag;

  public IngestMetrics(String queryName) {
    this.queryName = queryName;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    if (!queryName.equals(event.progress().name())) return;
    rows += event.progress().numInputRows();
    Object trigger = event.progress().durationMs().get("triggerExecution");
    if (trigger != null && event.progress().numInputRows() > 0) busyMillis += ((Number) trigger).longValue();
    sourceLag = KafkaLag.of(event.progress().sources());
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  public synchronized long rows() {
    return rows;
  }

  /** Rows per second while the query was processing data. */
  public synchronized double rowsPerSecond() {
    return busyMillis == 0 ? 0 : rows * 1000.0 / busyMillis;
  }

  /** Records in Kafka not yet read, as of the last progress report. */
  public synchronized long lag() {
    return sourceLag;
  }
}
