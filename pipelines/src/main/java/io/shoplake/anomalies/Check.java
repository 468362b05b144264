package io.shoplake.anomalies;

/**
 * What {@code ops.anomalies} watches. Each check follows its incidents per subject on its own:
 * a source topic for the volume checks and the share of records ingest could not read, a job
 * for the other rates. A drop to nothing is a silent stop; it is one incident with the drop
 * that may begin it, so a stop alerts once.
 */
public enum Check {
  VOLUME_HIGH(SignalCounts.RECORDS, null),
  VOLUME_LOW(SignalCounts.RECORDS, null),
  MALFORMED_RATE(SignalCounts.RECORDS, SignalCounts.MALFORMED),
  QUARANTINE_RATE(SignalCounts.ROWS_IN, SignalCounts.QUARANTINED),
  DUPLICATE_RATE(SignalCounts.ROWS_IN, SignalCounts.DUPLICATE),
  OUT_OF_ORDER_RATE(SignalCounts.ROWS_IN, SignalCounts.STALE);

  /** The signal whose subjects the check covers and whose newest bucket is its clock. */
  final String base;
  /** For a rate, the share of {@link #base} it measures. */
  final String part;

  Check(String base, String part) {
    this.base = base;
    this.part = part;
  }

  /** The alert kind of an incident opened on a bucket with {@code observed} units. */
  String kind(double observed) {
    return switch (this) {
      case VOLUME_HIGH -> "VOLUME_SPIKE";
      case VOLUME_LOW -> observed == 0 ? "SILENT_STOP" : "VOLUME_DROP";
      default -> name();
    };
  }
}
