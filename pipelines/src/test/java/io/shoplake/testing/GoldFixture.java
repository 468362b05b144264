package io.shoplake.testing;

import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.core.ShoplakeConfig;
import io.delta.tables.DeltaTable;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.inventory.ProductAvailabilityJob;
import io.shoplake.pricing.PriceRecommendationsJob;
import io.shoplake.segments.CustomerSegmentsJob;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A temp warehouse with the silver tables gold jobs read (their real schemas, from config) and
 * the gold tables they write; rows go in by column name, CDC columns defaulted.
 */
public final class GoldFixture {
  public final SparkSession spark = SharedSpark.get();
  public final ShoplakeConfig config;
  public final Tables tables;
  private final Map<TableId, List<Map<String, Object>>> pending = new LinkedHashMap<>();
  private long lsn = 1;

  public GoldFixture(Path warehouse) {
    config = ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse.toUri().toString()));
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    List<TableDefinition> defs = new ArrayList<>();
    Pipeline.cdcSpecs(config).stream()
        .filter(s -> List.of("orders", "order_items", "products").contains(s.table()))
        .forEach(s -> defs.addAll(new CdcApplyJob(s).outputs()));
    defs.add(InventoryAvailabilityJob.output());
    defs.add(ProductAvailabilityJob.output());
    defs.addAll(CustomerSegmentsJob.outputs());
    defs.add(PriceRecommendationsJob.output());
    // Created, not registered by name: jobs read by path, and registering costs seconds per table.
    for (TableDefinition def : defs) {
      var builder = DeltaTable.createIfNotExists(spark).location(tables.path(def.id())).addColumns(def.schema());
      if (def.changeFeed()) builder = builder.property("delta.enableChangeDataFeed", "true");
      builder.execute();
    }
  }

  /** Column name / value pairs; nulls allowed. */
  public static Map<String, Object> fields(Object... pairs) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) row.put((String) pairs[i], pairs[i + 1]);
    return row;
  }

  public static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  /**
   * Stages rows for a table; {@code _is_deleted} defaults to false and {@code _lsn} grows.
   * {@link #commit()} writes them, one Delta commit per table (each commit costs about a second).
   */
  @SafeVarargs
  public final void insert(TableId table, Map<String, Object>... rows) {
    pending.computeIfAbsent(table, t -> new ArrayList<>()).addAll(List.of(rows));
  }

  public void commit() {
    pending.forEach(this::write);
    pending.clear();
  }

  private void write(TableId table, List<Map<String, Object>> rows) {
    String path = tables.path(table);
    StructType schema = spark.read().format("delta").load(path).schema();
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> values : rows) {
      Object[] cells = new Object[schema.size()];
      for (int i = 0; i < schema.size(); i++) {
        StructField f = schema.fields()[i];
        if (values.containsKey(f.name())) cells[i] = values.get(f.name());
        else if (f.name().equals("_is_deleted")) cells[i] = false;
        else if (f.name().equals("_lsn")) cells[i] = lsn++;
      }
      out.add(RowFactory.create(cells));
    }
    spark.createDataFrame(out, schema).write().format("delta").mode("append").save(path);
  }
}
