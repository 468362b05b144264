package io.shoplake.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a query that runs in Spark's real-time mode. Its epoch lasts as long as its checkpoint
 * interval (minutes), so it is stopped mid-epoch. That is safe: the epoch is not committed and
 * is replayed from the checkpoint on restart. But Spark reports each interrupted task of it as
 * an aborted write, at ERROR with a stack trace, and its Kafka consumers their interrupted
 * close, which reads as a failure at the end of every demo. Those reports are silenced for this one deliberate stop, until the query's own tasks
 * have ended. The other queries still run meanwhile: one that fails in that window loses its
 * per-task trace, not its failure, which Spark reports through the query's exception.
 */
public final class RealTimeStop {
  private static final Logger LOG = LoggerFactory.getLogger(RealTimeStop.class);

  /**
   * The loggers through which Spark reports a write task it aborted, and through which a Kafka
   * consumer of such a task reports that the interrupt cut its close short.
   */
  static final List<String> TASK_ABORT_LOGGERS = List.of(
      "org.apache.spark.util.Utils",
      "org.apache.spark.sql.execution.datasources.v2.DataWritingSparkTask",
      "org.apache.spark.sql.execution.datasources.v2.WriteToDataSourceV2Exec",
      "org.apache.kafka.clients.consumer.internals.ClassicKafkaConsumer",
      "org.apache.spark.sql.kafka010.consumer.InternalKafkaConsumerPool$CustomSwallowedExceptionListener");

  private RealTimeStop() {}

  public static void stop(SparkSession spark, StreamingQuery query, Duration tasksEnd)
      throws TimeoutException, InterruptedException {
    Map<String, Level> levels = taskAbortLevels();
    levels.keySet().forEach(name -> Configurator.setLevel(name, Level.OFF));
    boolean ended;
    try {
      query.stop();
      // The query's thread ends as soon as its job is cancelled; its tasks notice the interrupt
      // and report the abort a moment later.
      ended = awaitTasksEnded(spark.sparkContext().statusTracker(), query.runId().toString(), tasksEnd);
    } finally {
      levels.forEach(Configurator::setLevel);
    }
    if (ended) {
      LOG.info("{} stopped mid-epoch; the epoch was not committed and is replayed from the checkpoint on restart",
          query.name());
    } else {
      LOG.warn("{} stopped, but some of its tasks were still running after {}", query.name(), tasksEnd);
    }
  }

  /** The effective level of each of {@link #TASK_ABORT_LOGGERS}. */
  static Map<String, Level> taskAbortLevels() {
    Map<String, Level> levels = new LinkedHashMap<>();
    for (String name : TASK_ABORT_LOGGERS) levels.put(name, LogManager.getLogger(name).getLevel());
    return levels;
  }

  /** Spark runs every job of a streaming query in a job group named by its run id. */
  static boolean awaitTasksEnded(SparkStatusTracker tracker, String jobGroup, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (activeTasks(tracker, jobGroup) > 0) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(20);
    }
    return true;
  }

  private static int activeTasks(SparkStatusTracker tracker, String jobGroup) {
    int active = 0;
    for (int jobId : tracker.getJobIdsForGroup(jobGroup)) {
      var job = tracker.getJobInfo(jobId);
      if (job.isEmpty()) continue;
      for (int stageId : job.get().stageIds()) {
        var stage = tracker.getStageInfo(stageId);
        if (stage.isDefined()) active += stage.get().numActiveTasks();
      }
    }
    return active;
  }
}
