package io.shoplake.core;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.streaming.Trigger;

/**
 * How a run starts its jobs, and restarts a continuous run's failed ones, read once from {@code
 * shoplake.trigger.*}, each job's {@code shoplake.jobs."<job>".trigger-interval}, {@code
 * shoplake.delta-source.*} and {@code shoplake.supervision.*}.
 */
public record TriggerSettings(boolean continuous, long intervalMs, int parallelJobs, Map<String, Long> jobIntervalsMs,
    int backgroundBatches, Set<String> latencyPathJobs, long latencyPathHeadStartMs, OptionalInt deltaMaxFilesPerTrigger,
    long reportIntervalMs, SupervisionSettings restarts) {

  public TriggerSettings {
    if (latencyPathHeadStartMs < 0) {
      throw new IllegalArgumentException("shoplake.trigger.latency-path-head-start must be 0 or more, got "
          + latencyPathHeadStartMs + " ms");
    }
    jobIntervalsMs = Map.copyOf(jobIntervalsMs);
    latencyPathJobs = Set.copyOf(latencyPathJobs);
  }

  public static TriggerSettings from(ShoplakeConfig config) {
    String mode = config.string("shoplake.trigger.mode");
    if (!mode.equals("available-now") && !mode.equals("processing-time")) {
      throw new IllegalArgumentException("shoplake.trigger.mode must be available-now or processing-time, got '" + mode + "'");
    }
    int parallel = config.integer("shoplake.trigger.parallel-jobs");
    if (parallel < 1) throw new IllegalArgumentException("shoplake.trigger.parallel-jobs must be at least 1, got " + parallel);
    Map<String, Long> intervals = new TreeMap<>();
    Set<String> latencyPath = new TreeSet<>();
    if (config.has("shoplake.jobs")) {
      for (String job : config.raw().getObject("shoplake.jobs").keySet()) {
        String key = "shoplake.jobs.\"" + job + "\".";
        if (config.has(key + "trigger-interval")) intervals.put(job, config.millis(key + "trigger-interval"));
        if (config.has(key + "latency-path") && config.raw().getBoolean(key + "latency-path")) latencyPath.add(job);
      }
    }
    String maxFiles = "shoplake.delta-source.max-files-per-trigger";
    return new TriggerSettings(mode.equals("processing-time"), config.millis("shoplake.trigger.interval"), parallel,
        intervals, config.integer("shoplake.trigger.background-batches"), latencyPath,
        config.millis("shoplake.trigger.latency-path-head-start"), config.has(maxFiles) ? OptionalInt.of(config.integer(maxFiles)) : OptionalInt.empty(),
        config.millis("shoplake.trigger.report-interval"), SupervisionSettings.from(config));
  }

  /** Available-now for a scheduled run; the run's interval for a continuous one. */
  public Trigger trigger() {
    return continuous ? Trigger.ProcessingTime(intervalMs) : Trigger.AvailableNow();
  }
}
