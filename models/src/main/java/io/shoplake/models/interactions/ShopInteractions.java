package io.shoplake.models.interactions;

import io.shoplake.core.TableAccess;
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
    TableAccess access = TableAccess.of(spark, tables);
    if (access.exists(ModelTables.SILVER_CLICKSTREAM)) {
      events = events.unionByName(InteractionEvents.fromClickstream(access.read(ModelTables.SILVER_CLICKSTREAM), settings));
    } else {
      LOG.info("{} does not exist yet: training on orders only", ModelTables.SILVER_CLICKSTREAM);
    }
    return events;
  }

  static Dataset<Row> read(SparkSession spark, Tables tables, io.shoplake.core.TableId table) {
    return TableAccess.of(spark, tables).read(table);
  }
}
