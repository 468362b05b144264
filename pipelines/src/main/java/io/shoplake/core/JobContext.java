package io.shoplake.core;

import org.apache.spark.sql.SparkSession;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * What a job gets to run: the session, the table registry, its trigger (a test may pass its own),
 * the run's trigger settings and the services' settings. Never the raw config: a job's own
 * settings are resolved once, when the pipeline builds it, and handed to its constructor.
 */
public record JobContext(SparkSession spark, Tables tables, Trigger trigger, TriggerSettings triggers,
    ServiceSettings services, BackgroundBatches background) {

  public JobContext(SparkSession spark, ShoplakeConfig config, Tables tables, Trigger trigger) {
    this(spark, tables, trigger, TriggerSettings.from(config), ServiceSettings.from(config));
  }

  private JobContext(SparkSession spark, Tables tables, Trigger trigger, TriggerSettings triggers, ServiceSettings services) {
    this(spark, tables, trigger, triggers, services,
        new BackgroundBatches(triggers.backgroundBatches(), triggers.latencyPathJobs()));
  }

  public static JobContext create(SparkSession spark, ShoplakeConfig config) {
    TriggerSettings triggers = TriggerSettings.from(config);
    return new JobContext(spark, Tables.from(config), triggers.trigger(), triggers, ServiceSettings.from(config));
  }

  public KafkaSettings kafka() {
    return services.kafka();
  }

  public RedisSettings redis() {
    return services.redis();
  }

  public boolean continuous() {
    return triggers.continuous();
  }

  /**
   * Starts {@code stream} as the job's query: named after the job, with its trigger and
   * checkpoint, handing each micro-batch and its id to {@code batchWriter}.
   */
  public StreamingQuery startForEachBatch(Dataset<Row> stream, String jobName,
      VoidFunction2<Dataset<Row>, Long> batchWriter) throws TimeoutException {
    // Each job gets its own fair-scheduler pool (inherited by the query's thread), so a
    // small batch on the availability path does not queue behind a large one elsewhere.
    spark.sparkContext().setLocalProperty("spark.scheduler.pool", jobName);
    try {
      return stream.writeStream()
          .queryName(jobName)
          .trigger(triggerFor(jobName))
          .option("checkpointLocation", tables.checkpoint(jobName, "main"))
          .foreachBatch(admitted(jobName, batchWriter))
          .start();
    } finally {
      spark.sparkContext().setLocalProperty("spark.scheduler.pool", null);
    }
  }

  /** A scheduled run's jobs already run a few at a time ({@code parallel-jobs}); only a continuous run holds batches back. */
  VoidFunction2<Dataset<Row>, Long> admitted(String jobName, VoidFunction2<Dataset<Row>, Long> batchWriter) {
    return continuous() ? background.admit(jobName, batchWriter) : batchWriter;
  }

  /**
   * {@link #startForEachBatch} for a job that appends to {@code appended} through {@link
   * DeltaWrites}: refused, with the reason, if its checkpoint was lost while they hold its rows.
   */
  public StreamingQuery startAppendingForEachBatch(Dataset<Row> stream, String jobName,
      List<LostCheckpoint.Appended> appended, VoidFunction2<Dataset<Row>, Long> batchWriter) throws TimeoutException {
    LostCheckpoint.refuseToStart(access(), jobName, tables.checkpoint(jobName, "main"), appended);
    return startForEachBatch(stream, jobName, batchWriter);
  }

  /**
   * A Delta table as a stream. {@code shoplake.delta-source.max-files-per-trigger}, when set,
   * caps each micro-batch (e.g. to bound batch size after a backlog, or in fault tests).
   */
  public Dataset<Row> readDeltaStream(TableId table) {
    return access().stream(table, triggers.deltaMaxFilesPerTrigger());
  }

  /** A Delta table's change feed as a stream, from its first version. */
  public Dataset<Row> readChangeFeedStream(TableId table) {
    return access().changeFeedStream(table);
  }

  /** The registry's tables through this job's session. */
  public TableAccess access() {
    return TableAccess.of(spark, tables);
  }

  /**
   * Continuous jobs may set their own interval ({@code shoplake.jobs."<job>".trigger-interval}):
   * jobs no one waits on can run less often and leave the cores to those on a latency path.
   */
  Trigger triggerFor(String jobName) {
    Long own = triggers.jobIntervalsMs().get(jobName);
    return continuous() && own != null ? Trigger.ProcessingTime(own) : trigger;
  }
}
