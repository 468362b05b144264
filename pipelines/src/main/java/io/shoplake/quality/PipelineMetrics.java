package io.shoplake.quality;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.shoplake.core.KafkaProgress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Shoplake's own series for Prometheus, named by its conventions (units in the name, counters
 * ending in {@code _total}, few label values: the job, and for Kafka the topic and partition).
 * The job's label is {@code shoplake_job}: {@code job} is the label Prometheus gives each scrape
 * target, and a series carrying its own would have it renamed.
 *
 * <ul>
 *   <li>from every query's progress: batches, input rows, batch duration, the time of the last
 *       batch, and failures, per job;
 *   <li>Kafka lag per job and partition: the broker's end offsets, asked at each scrape, past
 *       what the job's last batch read to, so a job that stopped shows its lag growing; and in
 *       seconds, how long the oldest of those records has waited (read from the broker);
 *   <li>when each serving job last published to Redis;
 *   <li>in the sql-server, the plans it refused as writes;
 *   <li>the shop's own: orders placed and their revenue by channel (a counter, per minute in
 *       PromQL), product×locations out of stock;
 *   <li>from the batch reports in {@code quality.pipeline_events}: applied, stale, duplicate and
 *       quarantined rows (by error class), and the source lag of the batch where it is known.
 * </ul>
 *
 * <p>One instance per JVM on Prometheus' default registry ({@link #get()}); tests make their own
 * registry.
 */
public final class PipelineMetrics extends StreamingQueryListener {
  private static final PipelineMetrics DEFAULT = new PipelineMetrics(PrometheusRegistry.defaultRegistry);

  private final Counter batches;
  private final Counter inputRows;
  private final Histogram batchDuration;
  private final Gauge lastBatch;
  private final Counter failures;
  private final Counter reportedRows;
  private final Counter quarantined;
  private final Gauge sourceLag;
  private final Gauge lastPublish;
  private final Counter ordersPlaced;
  private final Counter revenuePlaced;
  private final Gauge outOfStock;
  private final Counter refusedPlans;
  private final Map<String, Map<TopicPartition, Long>> kafkaReadTo = new ConcurrentHashMap<>();
  /** Job names by query id: a query that fails reports only its id. */
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private volatile Function<Set<TopicPartition>, Map<TopicPartition, Long>> brokerEnds = partitions -> Map.of();
  private volatile Function<Map<TopicPartition, Long>, Map<TopicPartition, java.time.Instant>> arrivals =
      offsets -> Map.of();

  PipelineMetrics(PrometheusRegistry registry) {
    batches = Counter.builder().name("shoplake_job_batches_total")
        .help("Micro-batches a job's query completed").labelNames("shoplake_job").register(registry);
    inputRows = Counter.builder().name("shoplake_job_input_rows_total")
        .help("Rows a job's query read from its sources").labelNames("shoplake_job").register(registry);
    batchDuration = Histogram.builder().name("shoplake_job_batch_duration_seconds")
        .help("Wall time of a job's micro-batch, planning and commit included").labelNames("shoplake_job")
        .classicUpperBounds(0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600).register(registry);
    lastBatch = Gauge.builder().name("shoplake_job_last_batch_timestamp_seconds")
        .help("When a job's last micro-batch completed (Unix time)").labelNames("shoplake_job").register(registry);
    failures = Counter.builder().name("shoplake_job_failures_total")
        .help("Queries of a job that stopped on an error").labelNames("shoplake_job").register(registry);
    reportedRows = Counter.builder().name("shoplake_job_rows_total")
        .help("Rows a job's batches accounted for, by outcome (quality.pipeline_events)")
        .labelNames("shoplake_job", "outcome").register(registry);
    quarantined = Counter.builder().name("shoplake_job_quarantined_rows_total")
        .help("Rows a job sent to quality.quarantine, by error class").labelNames("shoplake_job", "error_class")
        .register(registry);
    sourceLag = Gauge.builder().name("shoplake_job_source_lag_seconds")
        .help("Source commit to processed, for the newest change of a job's last batch").labelNames("shoplake_job")
        .register(registry);
    lastPublish = Gauge.builder().name("shoplake_serving_last_publish_timestamp_seconds")
        .help("When a serving job last finished publishing to Redis (Unix time)").labelNames("shoplake_job")
        .register(registry);
    ordersPlaced = Counter.builder().name("shoplake_shop_orders_placed_total")
        .help("Orders the shop placed (not cancelled when first seen), by channel, as gold revenue counted them")
        .labelNames("channel").register(registry);
    revenuePlaced = Counter.builder().name("shoplake_shop_revenue_placed_total")
        .help("Order totals of the orders placed, by channel, in the shop's currency").labelNames("channel")
        .register(registry);
    outOfStock = Gauge.builder().name("shoplake_shop_out_of_stock_product_locations")
        .help("Product×locations with nothing available to promise, as gold availability holds them")
        .register(registry);
    refusedPlans = Counter.builder().name("shoplake_sql_server_refused_plans_total")
        .help("Plans the read-only sql-server refused, by the command they were").labelNames("command")
        .register(registry);
    GaugeWithCallback.builder().name("shoplake_kafka_lag_records")
        .help("Records in a partition past what a job's last batch read to (asked of the broker at each scrape)")
        .labelNames("shoplake_job", "topic", "partition")
        .callback(callback -> {
          Set<TopicPartition> partitions = new HashSet<>();
          kafkaReadTo.values().forEach(read -> partitions.addAll(read.keySet()));
          if (partitions.isEmpty()) return;
          Map<TopicPartition, Long> ends = brokerEnds.apply(partitions);
          kafkaReadTo.forEach((job, read) -> read.forEach((partition, offset) -> {
            Long end = ends.get(partition);
            if (end != null) {
              callback.call(Math.max(0, end - offset), job, partition.topic(), Integer.toString(partition.partition()));
            }
          }));
        })
        .register(registry);
    GaugeWithCallback.builder().name("shoplake_kafka_lag_seconds")
        .help("How long the oldest record a job's last batch did not read has waited in a partition (0: none waits)")
        .labelNames("shoplake_job", "topic", "partition")
        .callback(callback -> kafkaReadTo.forEach((job, read) -> {
          Map<TopicPartition, java.time.Instant> waiting = arrivals.apply(read);
          Map<TopicPartition, Long> ends = waiting.size() == read.size() ? Map.of() : brokerEnds.apply(read.keySet());
          long now = System.currentTimeMillis();
          read.forEach((partition, offset) -> {
            java.time.Instant since = waiting.get(partition);
            String p = Integer.toString(partition.partition());
            if (since != null) callback.call(Math.max(0, now - since.toEpochMilli()) / 1000.0, job, partition.topic(), p);
            else if (ends.containsKey(partition) && ends.get(partition) <= offset) callback.call(0, job, partition.topic(), p);
          });
        }))
        .register(registry);
  }

  public static PipelineMetrics get() {
    return DEFAULT;
  }

  /** Where the Kafka lag gauge gets the brokers' end offsets: nothing is shown until a run says. */
  public void endOffsetsFrom(Function<Set<TopicPartition>, Map<TopicPartition, Long>> ends) {
    brokerEnds = ends;
  }

  /** Where the Kafka lag in seconds gets the arrival time of each partition's oldest unread record. */
  public void arrivalsFrom(Function<Map<TopicPartition, Long>, Map<TopicPartition, java.time.Instant>> oldestUnread) {
    arrivals = oldestUnread;
  }

  public PipelineMetrics attach(SparkSession spark) {
    spark.streams().addListener(this);
    return this;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    if (event.name() != null) names.put(event.id().toString(), event.name());
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    batch(event.progress());
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.exception().isDefined()) failures.labelValues(jobOf(event.id().toString())).inc();
  }

  void batch(StreamingQueryProgress progress) {
    if (progress == null || progress.name() == null) return;
    String job = progress.name();
    batches.labelValues(job).inc();
    inputRows.labelValues(job).inc(progress.numInputRows());
    batchDuration.labelValues(job).observe(progress.batchDuration() / 1000.0);
    lastBatch.labelValues(job).set(System.currentTimeMillis() / 1000.0);
    Map<TopicPartition, Long> readTo = KafkaProgress.readTo(progress.sources());
    if (!readTo.isEmpty()) kafkaReadTo.put(job, Map.copyOf(readTo));
  }

  private String jobOf(String queryId) {
    return names.getOrDefault(queryId, "unknown");
  }

  /** Orders placed in a batch of one channel, and their totals; per minute is {@code rate(...[1m]) * 60}. */
  public void ordersPlaced(String channel, long orders, double revenue) {
    ordersPlaced.labelValues(channel).inc(orders);
    revenuePlaced.labelValues(channel).inc(revenue);
  }

  /** The read-only sql-server refused a plan that would have run {@code command}. */
  public void refusedPlan(String command) {
    refusedPlans.labelValues(command).inc();
  }

  public void outOfStock(long productLocations) {
    outOfStock.set(productLocations);
  }

  /** A serving job finished publishing to Redis at {@code epochMillis}. */
  public void published(String servingJob, long epochMillis) {
    lastPublish.labelValues(servingJob).set(epochMillis / 1000.0);
  }

  /** A batch's accounting, as appended to {@code quality.pipeline_events}. */
  void reported(PipelineEvents.BatchReport r) {
    reportedRows.labelValues(r.job(), "applied").inc(r.applied());
    reportedRows.labelValues(r.job(), "stale").inc(r.stale());
    reportedRows.labelValues(r.job(), "duplicate").inc(r.duplicate());
    reportedRows.labelValues(r.job(), "quarantined").inc(r.quarantined());
    reportedRows.labelValues(r.job(), "kafka_tombstone").inc(r.kafkaTombstones());
    r.quarantinedByRule().forEach((errorClass, rows) -> quarantined.labelValues(r.job(), errorClass).inc(rows));
    if (r.sourceLagMs() != null) sourceLag.labelValues(r.job()).set(r.sourceLagMs() / 1000.0);
  }
}
