package io.shoplake.anomalies;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import io.shoplake.anomalies.AnomalyDetector.AlertEvent;
import io.shoplake.anomalies.AnomalyDetector.Incident;
import io.shoplake.core.BatchConstants;
import io.shoplake.core.DeltaWrites;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.serving.ServingTopics;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One micro-batch of {@code ops.anomalies}: counts the batch's signals per bucket, appends
 * them, judges what is newly closed and publishes the transitions, first to Kafka, then to
 * {@code quality.alerts}. A batch replayed after a crash between the two finds the same
 * transitions (the detector starts from the recorded ones) and sends them again, same ids.
 */
final class AnomalyBatches {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyBatches.class);
  private final TableAccess access;
  private final Tables tables;
  private final AnomalySettings settings;
  private final KafkaConnection kafka;
  /** Signal → subject → first bucket, and signal → newest bucket: loaded once, then kept up with the batches. */
  private Map<String, Map<String, Long>> firstBuckets;
  private final Map<String, Long> newestBuckets = new HashMap<>();

  AnomalyBatches(Tables tables, TableAccess access, AnomalySettings settings, KafkaConnection kafka) {
    this.tables = tables;
    this.access = access;
    this.settings = settings;
    this.kafka = kafka;
  }

  void process(Dataset<Row> batch, Long batchId) {
    List<Row> counted = batch.filter(col("n").gt(0))
        .groupBy(col("signal"), col("subject"), expr("timestamp_millis(floor(unix_millis(ts) / " + settings.bucketMillis()
            + ") * " + settings.bucketMillis() + ")").as("bucket_start"))
        .agg(sum("n").as("n"))
        .select(col("signal"), col("subject"), col("bucket_start"), col("n"), BatchConstants.of(batchId).as("batch_id"))
        .collectAsList();
    if (counted.isEmpty()) return;
    DeltaWrites.appendOnce(access.spark().createDataFrame(counted, AnomalyTables.COUNTS.schema()).coalesce(1),
        tables, Tables.ANOMALY_COUNTS, DeltaWrites.Writer.wholeTable(), batchId);
    keepUpHistory(counted);

    AnomalyDetector detector = new AnomalyDetector(settings, firstBuckets, newestBuckets, recordedIncidents());
    List<long[]> ranges = detector.ranges();
    if (ranges.isEmpty()) return;
    List<AlertEvent> events = detector.detect(read(ranges));
    if (events.isEmpty()) return;
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> rows = new ArrayList<>();
    for (AlertEvent e : events) {
      LOG.warn("{}: {} {}: {}", AnomaliesJob.NAME, e.state(), e.alertId(), e.message());
      rows.add(RowFactory.create(e.alertId(), e.state(), e.check().name(), e.kind(), e.subject(),
          new Timestamp(e.openedBucket()), new Timestamp(e.bucket()), e.observed(), e.expected(), e.message(), now, batchId));
    }
    Dataset<Row> alerts = access.spark().createDataFrame(rows, AnomalyTables.ALERTS.schema()).coalesce(1);
    ServingTopics.write(alerts.select(col("subject").as("key"), to_json(struct(col("alert_id"), col("state"), col("check"),
        col("kind"), col("subject"), col("opened_bucket"), col("bucket"), col("observed"), col("expected"),
        col("message"))).as("value")), kafka, settings.topic());
    DeltaWrites.appendOnce(alerts, tables, Tables.ALERTS, DeltaWrites.Writer.wholeTable(), batchId);
  }

  /** The first time from the table (this batch's counts included), then from each batch's counts. */
  private void keepUpHistory(List<Row> counted) {
    if (firstBuckets == null) {
      firstBuckets = new HashMap<>();
      for (Row r : access.read(Tables.ANOMALY_COUNTS).groupBy("signal", "subject")
          .agg(min("bucket_start"), max("bucket_start")).collectAsList()) {
        note(r.getString(0), r.getString(1), r.getTimestamp(2).getTime(), r.getTimestamp(3).getTime());
      }
      return;
    }
    for (Row r : counted) note(r.getString(0), r.getString(1), r.getTimestamp(2).getTime(), r.getTimestamp(2).getTime());
  }

  private void note(String signal, String subject, long first, long newest) {
    firstBuckets.computeIfAbsent(signal, s -> new HashMap<>()).merge(subject, first, Math::min);
    newestBuckets.merge(signal, newest, Math::max);
  }

  /** The newest incident of each check and subject, resolved or not. */
  private List<Incident> recordedIncidents() {
    Map<String, Long> resolved = new HashMap<>();
    Map<String, Incident> newest = new HashMap<>();
    for (Row r : access.read(Tables.ALERTS)
        .select("alert_id", "state", "check", "subject", "kind", "opened_bucket", "bucket").collectAsList()) {
      if (r.getString(1).equals(AnomalyDetector.RESOLVED)) {
        resolved.put(r.getString(0), r.getTimestamp(6).getTime());
        continue;
      }
      Incident i = new Incident(r.getString(0), Check.valueOf(r.getString(2)), r.getString(3), r.getString(4),
          r.getTimestamp(5).getTime(), null);
      newest.merge(i.check() + "/" + i.subject(), i, (a, b) -> a.openedBucket() >= b.openedBucket() ? a : b);
    }
    return newest.values().stream().map(i -> new Incident(i.alertId(), i.check(), i.subject(), i.kind(),
        i.openedBucket(), resolved.get(i.alertId()))).toList();
  }

  private SignalCounts read(List<long[]> ranges) {
    Column inRanges = lit(false);
    for (long[] r : ranges) {
      inRanges = inRanges.or(col("bucket_start").between(new Timestamp(r[0]), new Timestamp(r[1])));
    }
    SignalCounts counts = new SignalCounts();
    for (Row r : access.read(Tables.ANOMALY_COUNTS).filter(inRanges).groupBy("signal", "subject", "bucket_start")
        .agg(sum("n")).collectAsList()) {
      counts.add(r.getString(0), r.getString(1), r.getTimestamp(2).getTime(), r.getLong(3));
    }
    return counts;
  }
}
