package io.shoplake.core;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.Collection;
import org.apache.spark.sql.SparkSession;

/**
 * Creates missing tables before any stream starts, so a downstream job never races its
 * upstream for a table's existence, and registers every table by its registry name.
 */
public final class TableBootstrap {
  private TableBootstrap() {}

  public static void ensure(SparkSession spark, Tables tables, Collection<TableDefinition> definitions) {
    for (TableDefinition def : definitions) {
      String path = tables.path(def.id());
      DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(def.schema());
      if (!def.partitionColumns().isEmpty()) {
        builder = builder.partitionedBy(def.partitionColumns().toArray(String[]::new));
      }
      if (def.changeFeed()) builder = builder.property("delta.enableChangeDataFeed", "true");
      builder.execute();
    }
    register(spark, tables, definitions);
  }

  /** Makes {@code SELECT * FROM silver.inventory} work in this session. */
  public static void register(SparkSession spark, Tables tables, Collection<TableDefinition> definitions) {
    definitions.stream().map(d -> d.id().layer()).distinct()
        .forEach(layer -> spark.sql("CREATE DATABASE IF NOT EXISTS " + layer));
    for (TableDefinition def : definitions) {
      String location = tables.path(def.id());
      // Names follow the registry: a name bound to another warehouse (an earlier run in this
      // session) is rebound. Tables are external, so dropping a name never drops data.
      spark.sql("DROP TABLE IF EXISTS " + def.id());
      spark.sql("CREATE TABLE " + def.id() + " USING delta LOCATION " + Sql.literal(location));
    }
  }
}
