package io.shoplake.core;

import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Replaces a recomputed slice of a table by key: a MERGE that inserts new keys, updates
 * changed rows, and deletes the keys of the slice that the recomputation no longer produces.
 * Recomputing from the source and replacing is what keeps aggregates right under replays,
 * late data and corrections; unchanged rows are not rewritten, so a replay commits no change.
 */
public final class KeyedReplace {
  private KeyedReplace() {}

  /**
   * @param recomputed the slice's new rows (columns of {@code schema})
   * @param slice the target's current rows in the recomputed scope (at least the key columns)
   */
  public static void replace(TableAccess access, TableId table, StructType schema, List<String> keys,
      Dataset<Row> recomputed, Dataset<Row> slice) {
    String[] keyColumns = keys.toArray(String[]::new);
    Dataset<Row> vanished = slice.selectExpr(keyColumns).join(recomputed.selectExpr(keyColumns), 
        scala.jdk.javaapi.CollectionConverters.asScala(keys).toSeq(), "left_anti");
    Dataset<Row> source = recomputed.withColumn("_delete", lit(false))
        .unionByName(vanished.withColumn("_delete", lit(true)), true)
        .localCheckpoint();
    String[] columns = schema.fieldNames();
    Map<String, String> values = Sql.fromSource(columns);
    String unchanged = Arrays.stream(columns).map(c -> Sql.column("t", c) + " <=> " + Sql.column("s", c))
        .collect(Collectors.joining(" AND "));
    String on = Sql.keysEqual(keys);
    access.forChange(table).as("t")
        .merge(source.as("s"), on)
        .whenMatched("s._delete").delete()
        .whenMatched("NOT (" + unchanged + ")").updateExpr(values)
        .whenNotMatched("NOT s._delete").insertExpr(values)
        .execute();
  }
}
