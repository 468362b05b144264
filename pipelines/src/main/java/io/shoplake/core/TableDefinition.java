package io.shoplake.core;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** A table a job writes: its schema, partitioning, and whether downstream reads its change feed. */
public record TableDefinition(TableId id, StructType schema, List<String> partitionColumns, boolean changeFeed) {
  public static TableDefinition of(TableId id, StructType schema) {
    return new TableDefinition(id, schema, List.of(), false);
  }

  public static TableDefinition withChangeFeed(TableId id, StructType schema) {
    return new TableDefinition(id, schema, List.of(), true);
  }
}
