package io.shoplake.models.interactions;

import io.delta.tables.DeltaTable;
import io.shoplake.core.Tables;
import io.shoplake.models.ModelTables;
import io.shoplake.models.ModelsSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shop's interaction events: silver orders, plus silver clickstream once that table exists. */
public final class ShopInteractions {
  private static final Logger LOG = LoggerFactory.getLogger(ShopInteractions.class);

  private ShopInteractions() {}

  public static Dataset<Row> events(SparkSession spark, Tables tables, ModelsSettings settings) {
    Dataset<Row> events = InteractionEvents.fromOrders(read(spark, tables, ModelTables.SILVER_ORDERS),
        read(spark, tables, ModelTables.SILVER_ORDER_ITEMS), settings);
    String clicks = tables.path(ModelTables.SILVER_CLICKSTREAM);
    if (DeltaTable.isDeltaTable(spark, clicks)) {
      events = events.unionByName(InteractionEvents.fromClickstream(spark.read().format("delta").load(clicks), settings));
    } else {
      LOG.info("{} does not exist yet: training on orders only", ModelTables.SILVER_CLICKSTREAM);
    }
    return events;
  }

  static Dataset<Row> read(SparkSession spark, Tables tables, io.shoplake.core.TableId table) {
    return spark.read().format("delta").load(tables.path(table));
  }
}
