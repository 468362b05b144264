package io.shoplake.models.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.models.ModelTables;
import io.shoplake.models.ModelsSettings;
import io.shoplake.models.interactions.InteractionEvents;
import io.shoplake.models.interactions.Interactions;
import io.shoplake.models.interactions.ShopInteractions;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scoring inputs from the shop's tables: silver customers, products, orders, clickstream; gold availability. */
public final class ShopScoringInputs {
  private static final Logger LOG = LoggerFactory.getLogger(ShopScoringInputs.class);

  private ShopScoringInputs() {}

  public static ScoringInputs load(SparkSession spark, Tables tables, ModelsSettings settings) {
    Dataset<Row> events = ShopInteractions.events(spark, tables, settings);
    Dataset<Row> interactions = Interactions.aggregate(events, Instant.now(), settings.halfLifeMillis())
        .filter(col("user_id").lt(InteractionEvents.ANONYMOUS_BASE));
    Dataset<Row> customers = live(spark, tables, ModelTables.SILVER_CUSTOMERS)
        .select(col("customer_id").cast("int").as("user_id"))
        .unionByName(interactions.select("user_id")).distinct();
    Dataset<Row> bought = InteractionEvents.orderLines(live(spark, tables, ModelTables.SILVER_ORDERS),
            live(spark, tables, ModelTables.SILVER_ORDER_ITEMS), settings)
        .select("user_id", "item_id").distinct();
    Dataset<Row> products = live(spark, tables, ModelTables.SILVER_PRODUCTS)
        .select(col("product_id").cast("int").as("item_id"), col("category"));
    // Each input feeds both scorers and several of their steps: read and aggregate once.
    return new ScoringInputs(customers.persist(), interactions.persist(), bought.persist(), products.persist(),
        unavailable(spark, tables).persist());
  }

  /** Products with nothing available at any location (gold.product_availability). */
  static Dataset<Row> unavailable(SparkSession spark, Tables tables) {
    TableAccess access = TableAccess.of(spark, tables);
    if (!access.exists(Tables.GOLD_PRODUCT_AVAILABILITY)) {
      LOG.warn("{} does not exist: no product is excluded as unavailable", Tables.GOLD_PRODUCT_AVAILABILITY);
      return spark.emptyDataFrame().selectExpr("CAST(NULL AS INT) AS item_id");
    }
    return access.read(Tables.GOLD_PRODUCT_AVAILABILITY).filter(col("available").leq(0))
        .select(col("product_id").cast("int").as("item_id"));
  }

  private static Dataset<Row> live(SparkSession spark, Tables tables, TableId table) {
    Dataset<Row> rows = TableAccess.of(spark, tables).read(table);
    return java.util.Arrays.asList(rows.columns()).contains(CdcColumns.IS_DELETED)
        ? rows.filter(not(col(CdcColumns.IS_DELETED))) : rows;
  }
}
