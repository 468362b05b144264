package io.shoplake.core;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * A table a job writes: its schema, partitioning, whether downstream reads its change feed, and
 * how an erasure treats the customers it holds (empty: it holds none).
 */
public record TableDefinition(TableId id, StructType schema, List<String> partitionColumns, boolean changeFeed,
                              Optional<Erasure> erasure) {
  public static TableDefinition of(TableId id, StructType schema) {
    return new TableDefinition(id, schema, List.of(), false, Optional.empty());
  }

  public static TableDefinition withChangeFeed(TableId id, StructType schema) {
    return new TableDefinition(id, schema, List.of(), true, Optional.empty());
  }

  public TableDefinition erasedBy(Erasure how) {
    return new TableDefinition(id, schema, partitionColumns, changeFeed, Optional.of(how));
  }
}
