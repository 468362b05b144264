package io.shoplake.core;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.delta.tables.DeltaTableBuilder;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Creates missing tables before any stream starts, so a downstream job never races its
 * upstream for a table's existence, adds the columns a table made by an earlier release
 * lacks, and registers every table by its registry name.
 */
public final class TableBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(TableBootstrap.class);

  private TableBootstrap() {}

  public static void ensure(SparkSession spark, Tables tables, Collection<TableDefinition> definitions) {
    for (TableDefinition def : definitions) {
      String path = tables.path(def.id());
      dropLogWithoutCommits(spark, path);
      DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(def.schema());
      if (!def.partitionColumns().isEmpty()) {
        builder = builder.partitionedBy(def.partitionColumns().toArray(String[]::new));
      }
      if (def.changeFeed()) builder = builder.property("delta.enableChangeDataFeed", "true");
      addMissingColumns(spark, def, path, builder.execute().toDF().schema());
    }
    register(spark, tables, definitions);
  }

  /**
   * A creation killed after Delta made the log's folder and before it wrote version 0 leaves a
   * log without a commit, which Delta takes for a table (the folder exists) and then cannot
   * read: every later start would fail on it. It holds nothing, so it goes and the table is
   * created anew. A creator racing this one at that moment fails once and is started again.
   */
  private static void dropLogWithoutCommits(SparkSession spark, String path) {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(log)) return;
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(log, true);
      while (files.hasNext()) {
        String name = files.next().getPath().getName();
        // Commits, checkpoints (also staged ones) and _last_checkpoint: a table was committed.
        if (!name.isEmpty() && (Character.isDigit(name.charAt(0)) || name.equals("_last_checkpoint"))) return;
      }
      LOG.warn("{} has a Delta log without a commit (its creation was interrupted); creating it again", path);
      fs.delete(log, true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not look into " + log, e);
    }
  }

  /**
   * Declared columns the table lacks are added as nullable, so the rows already written read
   * them as null. A NOT NULL column has no value for those rows: the table is refused instead.
   */
  private static void addMissingColumns(SparkSession spark, TableDefinition def, String path, StructType actual) {
    Set<String> present = Arrays.stream(actual.fieldNames()).map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<StructField> missing = Arrays.stream(def.schema().fields())
        .filter(f -> !present.contains(f.name().toLowerCase(Locale.ROOT))).toList();
    if (missing.isEmpty()) return;
    for (StructField f : missing) {
      if (!f.nullable()) {
        throw new IllegalStateException(def.id() + " at " + path + " has no column " + f.name() + ", which is NOT NULL"
            + " and so cannot be added to the rows it holds: add and fill it by hand (ALTER TABLE ... ADD COLUMNS,"
            + " UPDATE) before this release runs.");
      }
    }
    spark.sql("ALTER TABLE " + Sql.deltaTable(path) + " ADD COLUMNS ("
        + missing.stream().map(f -> Sql.quote(f.name()) + " " + f.dataType().sql()).collect(Collectors.joining(", ")) + ")");
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
