package io.shoplake.models;

import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableProvider;
import io.shoplake.models.registry.ModelRegistry;
import io.shoplake.models.scoring.ScoringRun;
import java.util.ArrayList;
import java.util.List;

/** The models' tables, for the SQL endpoint and table maintenance. */
public final class ModelTableProvider implements TableProvider {
  @Override
  public List<TableDefinition> tables() {
    List<TableDefinition> defs = new ArrayList<>();
    defs.add(TableDefinition.of(ModelTables.MODEL_REGISTRY, ModelRegistry.SCHEMA));
    defs.addAll(ScoringRun.outputs());
    return defs;
  }
}
