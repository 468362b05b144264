package io.shoplake.inventory;

import io.shoplake.core.ShoplakeConfig;
import java.time.Duration;

/**
 * {@code shoplake.inventory.*}.
 *
 * @param lowStockThreshold LOW below this many available units, RESTOCKED at or above it again
 * @param snapshotDelay how long after an hour ends its snapshot is taken
 */
public record InventorySettings(int lowStockThreshold, Duration snapshotDelay) {
  public InventorySettings {
    if (lowStockThreshold < 1) throw new IllegalArgumentException("shoplake.inventory.low-stock-threshold must be positive");
    if (snapshotDelay.isNegative()) throw new IllegalArgumentException("shoplake.inventory.snapshot-delay must not be negative");
  }

  public static InventorySettings from(ShoplakeConfig config) {
    return new InventorySettings(config.integer("shoplake.inventory.low-stock-threshold"),
        Duration.ofMillis(config.millis("shoplake.inventory.snapshot-delay")));
  }
}
