package io.shoplake.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
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
}
