package io.shoplake.cli;

import io.shoplake.core.ErasureTarget;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.serving.RedisKeyErasure;
import java.util.List;

/**
 * What the pipelines keep outside their tables: each customer's segments in Redis. The segment
 * change events on {@code serving.segment_changes} are not erased: that topic is not compacted,
 * and its records go with its retention (docs/operations.md).
 */
public final class PipelineErasureTargets implements ErasureTargetProvider {
  @Override
  public List<ErasureTarget> erasureTargets(ShoplakeConfig config) {
    return List.of(new RedisKeyErasure(RedisSettings.from(config), "segments"));
  }
}
