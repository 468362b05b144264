package io.shoplake.anomalies;

import io.shoplake.core.ShoplakeConfig;
import java.io.Serializable;

/**
 * {@code shoplake.anomalies.*}, read once when the pipeline builds {@code ops.anomalies}.
 *
 * @param bucketMillis the step of counting and judging: one bucket is compared with its baseline
 * @param graceMillis a bucket is judged once records this much newer than its end exist
 * @param seasonMillis the period of the shop's rhythm: a bucket's baseline is the same bucket this long ago
 * @param seasons how many past seasons the seasonal baseline takes the median of
 * @param trailingBuckets the trailing baseline's length, used until a season of history exists
 * @param volumeFactor above baseline × factor is a spike, below baseline / factor a drop
 * @param minRecords a volume change smaller than this many records is never an anomaly
 * @param maxQuarantineRate above this share of a job's input rows quarantined in a bucket, or of a
 *     topic's records ingest could not read, an alert
 * @param maxDuplicateRate above this share of duplicates, an alert
 * @param maxOutOfOrderRate above this share of changes older than the table (stale), an alert
 * @param minRows rates are judged only in buckets with at least this many input rows or records
 * @param resolveAfter an incident resolves after this many normal buckets in a row
 * @param lookbackMillis how far back a start judges buckets that no alert covers yet
 * @param topic the Kafka topic of alert events
 */
public record AnomalySettings(long bucketMillis, long graceMillis, long seasonMillis, int seasons, int trailingBuckets,
    double volumeFactor, long minRecords, double maxQuarantineRate, double maxDuplicateRate, double maxOutOfOrderRate,
    long minRows, int resolveAfter, long lookbackMillis, String topic) implements Serializable {

  public AnomalySettings {
    if (bucketMillis < 1000 || seasonMillis % bucketMillis != 0) {
      throw new IllegalArgumentException("shoplake.anomalies.bucket must be at least 1s and divide shoplake.anomalies.season");
    }
    if (graceMillis < 0 || lookbackMillis < bucketMillis) {
      throw new IllegalArgumentException("shoplake.anomalies.grace must not be negative, and lookback not shorter than a bucket");
    }
    if (seasons < 1 || trailingBuckets < 1 || resolveAfter < 1) {
      throw new IllegalArgumentException("shoplake.anomalies.seasons, trailing-buckets and resolve-after must be positive");
    }
    if (volumeFactor <= 1) throw new IllegalArgumentException("shoplake.anomalies.volume-factor must be above 1");
    for (double rate : new double[] {maxQuarantineRate, maxDuplicateRate, maxOutOfOrderRate}) {
      if (rate < 0 || rate >= 1) {
        throw new IllegalArgumentException("shoplake.anomalies.max-*-rate settings are shares: at least 0, below 1");
      }
    }
  }

  public static AnomalySettings from(ShoplakeConfig config) {
    String p = "shoplake.anomalies.";
    return new AnomalySettings(
        config.millis(p + "bucket"),
        config.millis(p + "grace"),
        config.millis(p + "season"),
        config.integer(p + "seasons"),
        config.integer(p + "trailing-buckets"),
        config.number(p + "volume-factor"),
        config.integer(p + "min-records"),
        config.number(p + "max-quarantine-rate"),
        config.number(p + "max-duplicate-rate"),
        config.number(p + "max-out-of-order-rate"),
        config.integer(p + "min-rows"),
        config.integer(p + "resolve-after"),
        config.millis(p + "lookback"),
        config.string(p + "topic"));
  }

  /** The start of the bucket {@code millis} falls in. */
  public long bucketOf(long millis) {
    return Math.floorDiv(millis, bucketMillis) * bucketMillis;
  }
}
