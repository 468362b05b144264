package io.shoplake.models.cli;

import io.shoplake.cli.ErasureTargetProvider;
import io.shoplake.core.ErasureTarget;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.models.ModelsSettings;
import io.shoplake.models.registry.ModelFactorsErasure;
import io.shoplake.serving.CompactedTopicErasure;
import io.shoplake.serving.RedisKeyErasure;
import java.util.ArrayList;
import java.util.List;

/** What the models keep outside their tables: published recommendations and trained user factors. */
public final class ModelErasureTargets implements ErasureTargetProvider {
  @Override
  public List<ErasureTarget> erasureTargets(ShoplakeConfig config) {
    List<ErasureTarget> targets = new ArrayList<>();
    targets.add(new ModelFactorsErasure());
    targets.add(new RedisKeyErasure(RedisSettings.from(config), "recommendations"));
    targets.add(new CompactedTopicErasure(KafkaSettings.connection(config), ModelsSettings.from(config).recommendationsTopic()));
    return targets;
  }
}
