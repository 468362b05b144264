package io.shoplake.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.cli.ErasureTargetProvider;
import io.shoplake.core.Erasure;
import io.shoplake.core.ErasureTarget;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableDefinition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTableProviderTest {
  @Test
  void theSqlEndpointAndMaintenanceSeeTheModelTablesBesideThePipelines() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", "file:///tmp/unused"));
    var names = Pipeline.allTables(config).stream().map(TableDefinition::id).map(Object::toString)
        .toList();
    assertThat(names).contains("gold.model_registry", "gold.recommendations", "gold.similar_items",
        "gold.inventory_availability").doesNotHaveDuplicates();
  }

  @Test
  void anErasureDeletesACustomersRecommendationsAndReachesTheirPublishedAndTrainedOnes() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", "file:///tmp/unused",
        "shoplake.redis.host", "localhost", "shoplake.redis.port", "6379", "shoplake.kafka.bootstrap-servers", "localhost:9092"));
    assertThat(Pipeline.allTables(config).stream().filter(d -> d.id().equals(ModelTables.RECOMMENDATIONS))
        .map(d -> d.erasure().map(e -> e.action()).orElse(null))).containsExactly(Erasure.Action.DELETE_ROWS);
    assertThat(ErasureTargetProvider.all(config).stream().map(ErasureTarget::name))
        .anyMatch(n -> n.endsWith(":recommendations:<customer_id>"))
        .anyMatch(n -> n.equals("tombstone on serving.recommendations"))
        .anyMatch(n -> n.contains("user factors"));
  }
}
