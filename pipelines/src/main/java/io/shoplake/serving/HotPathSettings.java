package io.shoplake.serving;

import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.ShoplakeConfig;
import java.time.Duration;

/**
 * {@code shoplake.hot-path.*}: how often the real-time hot path checkpoints in continuous runs;
 * and the inventory table as silver declares it ({@code shoplake.cdc.tables.inventory}), whose
 * column types and expectations decide what the hot path may serve.
 */
public record HotPathSettings(Duration checkpointInterval, CdcTableSpec inventory) {
  public HotPathSettings {
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("shoplake.hot-path.checkpoint-interval must be positive");
    }
  }

  public static HotPathSettings from(ShoplakeConfig config) {
    return new HotPathSettings(Duration.ofMillis(config.millis("shoplake.hot-path.checkpoint-interval")),
        CdcTableSpec.from(config, "inventory"));
  }
}
