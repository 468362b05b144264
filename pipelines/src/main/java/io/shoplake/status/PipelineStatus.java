package io.shoplake.status;

import io.shoplake.core.KafkaConnection;import static org.apache.spark.sql.functions.col;

import io.shoplake.anomalies.AnomalyDetector;
import io.shoplake.core.Job;
import io.shoplake.core.JobGraph;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Everything {@code shoplake status} shows, gathered from what any process can read: each job's
 * checkpoint and the sources past it, its last batch in {@code quality.pipeline_events} and last
 * failure in {@code quality.job_failures}, the quarantine of the last day, when Redis and the
 * serving topics last got a value, the alerts Prometheus has firing and the anomaly incidents
 * still open in {@code quality.alerts}. Red when a job is failing, behind, never ran or cannot be
 * judged, or an alert fires. An open anomaly is shown, not red: it is about what the shop sends,
 * which no restart of the pipeline mends.
 */
public record PipelineStatus(Instant checkedAt, Duration staleAfter, List<JobHealth> jobs, Map<String, LastBatch> lastBatches,
    List<Quarantined> quarantinedLastDay, List<Served> served, Alerts alerts, List<OpenAnomaly> openAnomalies) {

  /** A job's newest row in {@code quality.pipeline_events} of the last week (the checkpoint says when it last ran). */
  public record LastBatch(long batchId, Instant startedAt, long durationMs, long rowsIn) {}

  public record Quarantined(String stage, String errorClass, long rows) {}

  /** An incident {@code ops.anomalies} opened and has not resolved. */
  public record OpenAnomaly(String alertId, String kind, String subject, Instant openedBucket, String message) {}

  /** When a serving store last got a value: a Redis serving job's last publish, a topic's newest record. */
  public record Served(String store, String name, Optional<Instant> newestAt) {}

  /** Firing alerts, or why they are not known ({@code asked} false: no Prometheus configured). */
  public record Alerts(boolean asked, List<FiringAlerts.Alert> firing, String problem) {
    public static Alerts notAsked() {
      return new Alerts(false, List.of(), null);
    }
  }

  /** Where to look; Kafka, Redis and Prometheus are each optional (null: not configured). */
  public record Sources(KafkaConnection kafka, RedisSettings redis, String prometheusUrl) {}

  public boolean red() {
    return jobs.stream().anyMatch(j -> j.state().red) || !alerts.firing().isEmpty() || alerts.problem() != null;
  }

  public static PipelineStatus gather(SparkSession spark, Tables tables, JobGraph graph, Sources sources,
      Duration staleAfter) throws Exception {
    Instant now = Instant.now();
    TableAccess access = TableAccess.of(spark, tables);
    Set<TableId> readable = new LinkedHashSet<>();
    graph.flowOrder().forEach(job -> readable.addAll(graph.declaration(job.name()).reads()));
    List<JobHealth> jobs = new ArrayList<>();
    Map<String, JobHealth.LastFailure> failures = lastFailures(access, now);
    try (SourceLag lag = new SourceLag(access, List.copyOf(readable), sources.kafka())) {
      for (Job job : graph.flowOrder()) {
        Optional<CheckpointProgress> progress = CheckpointProgress.read(tables.checkpoint(job.name(), "main"),
            spark.sparkContext().hadoopConfiguration());
        List<SourceLag.Lag> lags = progress.isPresent() ? lag.of(progress.get().sourceOffsets()) : List.of();
        jobs.add(JobHealth.of(job.name(), progress, lags, Optional.ofNullable(failures.get(job.name())), now,
            staleAfter));
      }
    }
    return new PipelineStatus(now, staleAfter, jobs, lastBatches(access, now), quarantinedLastDay(access, now),
        served(graph, sources), alerts(sources.prometheusUrl()), openAnomalies(access));
  }

  private static Map<String, LastBatch> lastBatches(TableAccess access, Instant now) {
    Map<String, LastBatch> last = new HashMap<>();
    if (!access.exists(Tables.PIPELINE_EVENTS)) return last;
    // The log grows with every batch of every job: a week of it is what a status needs to read.
    for (Row r : access.read(Tables.PIPELINE_EVENTS)
        .filter(org.apache.spark.sql.functions.col("started_at").geq(java.sql.Timestamp.from(now.minus(Duration.ofDays(7)))))
        .groupBy("job")
        .agg(org.apache.spark.sql.functions.max_by(org.apache.spark.sql.functions.struct("batch_id", "started_at",
            "duration_ms", "rows_in"), org.apache.spark.sql.functions.col("started_at")).as("last"))
        .select("job", "last.batch_id", "last.started_at", "last.duration_ms", "last.rows_in").collectAsList()) {
      last.put(r.getString(0), new LastBatch(r.getLong(1), r.getTimestamp(2).toInstant(), r.getLong(3), r.getLong(4)));
    }
    return last;
  }

  /** Each job's newest failure in a continuous run, of the last week. */
  private static Map<String, JobHealth.LastFailure> lastFailures(TableAccess access, Instant now) {
    Map<String, JobHealth.LastFailure> last = new HashMap<>();
    if (!access.exists(Tables.JOB_FAILURES)) return last;
    for (Row r : access.read(Tables.JOB_FAILURES)
        .filter(col("failed_at").geq(java.sql.Timestamp.from(now.minus(Duration.ofDays(7)))))
        .groupBy("job")
        .agg(org.apache.spark.sql.functions.max_by(org.apache.spark.sql.functions.struct("failed_at", "in_a_row", "cause"),
            col("failed_at")).as("last"))
        .select("job", "last.failed_at", "last.in_a_row", "last.cause").collectAsList()) {
      last.put(r.getString(0), new JobHealth.LastFailure(r.getTimestamp(1).toInstant(), r.getInt(2), r.getString(3)));
    }
    return last;
  }

  private static List<Quarantined> quarantinedLastDay(TableAccess access, Instant now) {
    List<Quarantined> rows = new ArrayList<>();
    if (!access.exists(Tables.QUARANTINE)) return rows;
    for (Row r : access.read(Tables.QUARANTINE)
        .filter(org.apache.spark.sql.functions.col("quarantined_at").geq(java.sql.Timestamp.from(now.minus(Duration.ofDays(1)))))
        .groupBy("stage", "error_class").count().orderBy("stage", "error_class").collectAsList()) {
      rows.add(new Quarantined(r.getString(0), r.getString(1), r.getLong(2)));
    }
    return rows;
  }

  private static List<OpenAnomaly> openAnomalies(TableAccess access) {
    List<OpenAnomaly> open = new ArrayList<>();
    if (!access.exists(Tables.ALERTS)) return open;
    Dataset<Row> alerts = access.read(Tables.ALERTS);
    for (Row r : alerts.filter(col("state").equalTo(AnomalyDetector.OPENED))
        .join(alerts.filter(col("state").equalTo(AnomalyDetector.RESOLVED)).select("alert_id"), "alert_id", "left_anti")
        .orderBy("opened_bucket").select("alert_id", "kind", "subject", "opened_bucket", "message").collectAsList()) {
      open.add(new OpenAnomaly(r.getString(0), r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(), r.getString(4)));
    }
    return open;
  }

  private static List<Served> served(JobGraph graph, Sources sources) {
    List<Served> served = new ArrayList<>();
    if (sources.redis() != null) served.addAll(redisPublishes(sources.redis()));
    Set<String> topics = new TreeSet<>();
    graph.flowOrder().forEach(job -> topics.addAll(graph.declaration(job.name()).topicsWritten()));
    if (sources.kafka() != null && !topics.isEmpty()) served.addAll(newestRecords(sources.kafka(), topics));
    return served;
  }

  /** Every serving job's last publish, as it noted it beside its marker. */
  private static List<Served> redisPublishes(RedisSettings redis) {
    List<Served> served = new ArrayList<>();
    String prefix = redis.servingPublishedAtKey("");
    try (Jedis jedis = redis.connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      Map<String, Instant> at = new java.util.TreeMap<>();
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(100));
        for (String key : page.getResult()) {
          String value = jedis.get(key);
          if (value != null) at.put(key.substring(prefix.length()), Instant.ofEpochMilli(Long.parseLong(value)));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      at.forEach((job, time) -> served.add(new Served("redis", job, Optional.of(time))));
    } catch (RuntimeException e) {
      served.add(new Served("redis", "unreachable: " + e.getMessage(), Optional.empty()));
    }
    return served;
  }

  /** Per serving topic, the broker's timestamp of its newest record (empty: the topic has none). */
  private static List<Served> newestRecords(KafkaConnection kafka, Set<String> topics) {
    List<Served> served = new ArrayList<>();
    try (Admin admin = kafka.admin(Map.of())) {
      Map<TopicPartition, OffsetSpec> newest = new HashMap<>();
      Set<String> existing = new TreeSet<>(admin.listTopics().names().get(10, TimeUnit.SECONDS));
      existing.retainAll(topics);
      var described = admin.describeTopics(existing).allTopicNames().get(10, TimeUnit.SECONDS);
      described.forEach((topic, d) -> d.partitions().forEach(p ->
          newest.put(new TopicPartition(topic, p.partition()), OffsetSpec.maxTimestamp())));
      Map<String, Instant> byTopic = new java.util.TreeMap<>();
      admin.listOffsets(newest).all().get(10, TimeUnit.SECONDS).forEach((partition, info) -> {
        if (info.timestamp() >= 0) byTopic.merge(partition.topic(), Instant.ofEpochMilli(info.timestamp()),
            (a, b) -> a.isAfter(b) ? a : b);
      });
      for (String topic : topics) {
        served.add(new Served("kafka", topic, Optional.ofNullable(byTopic.get(topic))));
      }
    } catch (Exception e) {
      served.add(new Served("kafka", "unreachable: " + e.getMessage(), Optional.empty()));
    }
    return served;
  }

  private static Alerts alerts(String prometheusUrl) {
    if (prometheusUrl == null || prometheusUrl.isBlank()) return Alerts.notAsked();
    try {
      return new Alerts(true, FiringAlerts.ask(prometheusUrl), null);
    } catch (java.io.IOException e) {
      return new Alerts(true, List.of(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Alerts(true, List.of(), "interrupted");
    }
  }
}
