package io.shoplake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

import io.shoplake.core.RunObserver;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every job's batches in {@code quality.pipeline_events}, so that one table says what ran,
 * how long, and how many rows. The silver jobs append their own row-by-row accounting with each
 * batch; for every other job the row comes from the batch's progress: its rows in, its duration,
 * and, for a job that quarantines (ingest), its quarantined rows by error class as the quarantine
 * table holds them, the rest counted as applied.
 *
 * <p>These rows are operational telemetry, written off the data path: held and appended all
 * together when a run ends, and in a continuous run every {@code shoplake.trigger.report-interval},
 * so that two dozen queries cost one small commit per interval instead of one per batch. A run
 * killed outright loses the reports of the batches it committed since its last append; the batches
 * themselves are not lost, and no batch is reported twice (Spark reruns only batches whose
 * progress was never posted).
 */
public final class BatchReports implements RunObserver {
  private static final Logger LOG = LoggerFactory.getLogger(BatchReports.class);
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final SparkSession spark;
  private final Tables tables;
  private final ScheduledExecutorService timer;
  /** Per job, the highest batch taken: a batch comes from the listener bus and again when its query ends. */
  private final Map<String, Long> highest = new ConcurrentHashMap<>();
  private final HeldAppends<Pending> held;

  private record Pending(PipelineEvents.BatchReport report, boolean quarantines) {}

  private BatchReports(SparkSession spark, Tables tables, long intervalMs) {
    this.spark = spark;
    this.tables = tables;
    this.held = new HeldAppends<>(spark, tables, PipelineEvents.TABLE, this::append);
    if (intervalMs > 0) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-events-reports");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(this::flushQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** For a run's jobs: a continuous run appends every report interval, a scheduled one when it ends. */
  public static BatchReports of(JobContext context) {
    return new BatchReports(context.spark(), context.tables(),
        context.continuous() ? context.triggers().reportIntervalMs() : 0);
  }

  @Override
  public void committed(Job job, StreamingQueryProgress progress) {
    Set<TableId> written = Set.copyOf(job.declaration(tables.topics()).written());
    if (written.contains(Tables.PIPELINE_EVENTS)) return;
    long batchId = progress.batchId();
    boolean[] first = {false};
    highest.compute(job.name(), (name, last) -> {
      first[0] = last == null || batchId > last;
      return first[0] ? batchId : last;
    });
    if (!first[0]) return;
    long rows = progress.numInputRows();
    var report = new PipelineEvents.BatchReport(job.name(), batchId, Timestamp.from(Instant.parse(progress.timestamp())),
        progress.batchDuration(), rows, rows, 0, 0, 0, 0, Map.of(), Map.of(), null);
    held.hold(new Pending(report, written.contains(Tables.QUARANTINE)));
  }

  @Override
  public void flush() {
    held.flush();
  }

  private void flushQuietly() {
    held.flushOrTryAgain("at the next interval");
  }

  /** {@code afterFailure}: the last append may have committed; what the table has is left out. */
  private void append(List<Pending> batch, boolean afterFailure) {
    Map<String, Map<Long, Map<String, Long>>> quarantined = quarantined(batch);
    List<Row> rows = new ArrayList<>();
    List<PipelineEvents.BatchReport> accountedReports = new ArrayList<>();
    for (Pending p : batch) {
      var r = p.report();
      Map<String, Long> byClass = quarantined.getOrDefault(r.job(), Map.of()).getOrDefault(r.batchId(), Map.of());
      long q = byClass.values().stream().mapToLong(Long::longValue).sum();
      var accounted = new PipelineEvents.BatchReport(r.job(), r.batchId(), r.startedAt(), r.durationMs(), r.rowsIn(),
          r.rowsIn() - q, 0, 0, q, 0, byClass, Map.of(), null);
      rows.add(PipelineEvents.row(accounted));
      accountedReports.add(accounted);
    }

    Dataset<Row> reports = spark.createDataFrame(rows, PipelineEvents.SCHEMA);
    TableAccess access = TableAccess.of(spark, tables);
    if (afterFailure) {
      reports = reports.join(access.read(Tables.PIPELINE_EVENTS).select("job", "batch_id"),
          new String[] {"job", "batch_id"}, "left_anti");
    }
    access.append(Tables.PIPELINE_EVENTS, reports.coalesce(1));
    accountedReports.forEach(PipelineMetrics.get()::reported);
  }

  /** Per job and batch, the rows it quarantined by error class, for the jobs of {@code batch} that quarantine. */
  private Map<String, Map<Long, Map<String, Long>>> quarantined(List<Pending> batch) {
    Map<String, Long> fromBatch = new HashMap<>();
    for (Pending p : batch) {
      if (p.quarantines()) fromBatch.merge(p.report().job(), p.report().batchId(), Math::min);
    }
    Map<String, Map<Long, Map<String, Long>>> counts = new HashMap<>();
    if (fromBatch.isEmpty()) return counts;
    TableAccess access = TableAccess.of(spark, tables);
    if (!access.exists(Tables.QUARANTINE)) return counts;
    var condition = fromBatch.entrySet().stream()
        .map(e -> col("stage").equalTo(e.getKey()).and(col("batch_id").geq(e.getValue())))
        .reduce(org.apache.spark.sql.Column::or).orElseThrow();
    for (Row row : access.read(Tables.QUARANTINE).filter(condition).groupBy("stage", "batch_id", "error_class")
        .agg(count("*")).collectAsList()) {
      counts.computeIfAbsent(row.getString(0), s -> new HashMap<>())
          .computeIfAbsent(row.getLong(1), b -> new TreeMap<>()).put(row.getString(2), row.getLong(3));
    }
    return counts;
  }

  @Override
  public void close() {
    if (timer != null) {
      // An append under way is let finish: interrupted, Delta aborts its write with an error.
      timer.shutdown();
      try {
        if (!timer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) timer.shutdownNow();
      } catch (InterruptedException e) {
        timer.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("The last batch reports could not be appended to {}", Tables.PIPELINE_EVENTS, e);
    }
  }

  @Override
  public String toString() {
    return "the batch reports to " + Tables.PIPELINE_EVENTS;
  }
}
