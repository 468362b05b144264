package io.shoplake.maintenance;

import io.shoplake.core.ShoplakeConfig;
import java.time.Duration;

/**
 * {@code shoplake.maintenance.*}, checked when read: a typo must not shorten the time-travel
 * window (nor delete files a lagging stream still needs).
 *
 * @param vacuumRetention how long VACUUM keeps unreferenced files, at least {@link #MIN_VACUUM_RETENTION}
 * @param listingParallelism tasks VACUUM lists files in
 */
public record MaintenanceSettings(Duration vacuumRetention, int listingParallelism) {
  /**
   * Delta's default {@code delta.deletedFileRetentionDuration}. Delta's own VACUUM safety check
   * did not stop a shorter RETAIN here (Delta 4.4, path tables), so the floor is enforced here.
   */
  public static final Duration MIN_VACUUM_RETENTION = Duration.ofDays(7);

  public MaintenanceSettings {
    if (vacuumRetention.compareTo(MIN_VACUUM_RETENTION) < 0) {
      throw new IllegalArgumentException("shoplake.maintenance.vacuum-retention = " + vacuumRetention.toHours()
          + "h is shorter than " + MIN_VACUUM_RETENTION.toDays() + " days: refused, it would cut time travel short");
    }
  }

  public static MaintenanceSettings from(ShoplakeConfig config) {
    // VACUUM lists files in as many tasks as Spark's default says, 10,000: minutes of empty tasks
    // on a small machine. Sized like the shuffles instead (4 locally, 200 on a cluster).
    return new MaintenanceSettings(Duration.ofMillis(config.millis("shoplake.maintenance.vacuum-retention")),
        config.integer("shoplake.spark.shuffle-partitions"));
  }
}
