package io.shoplake.segments;

import io.shoplake.core.ShoplakeConfig;
import java.io.Serializable;

/** {@code shoplake.segments}. */
public record SegmentsSettings(long behaviourWindowMillis, long cartAbandonmentAfterMillis, long cartLookbackMillis)
    implements Serializable {
  public static SegmentsSettings from(ShoplakeConfig config) {
    return new SegmentsSettings(
        config.millis("shoplake.segments.behaviour-window"),
        config.millis("shoplake.segments.cart-abandonment-after"),
        config.millis("shoplake.segments.cart-lookback"));
  }
}
