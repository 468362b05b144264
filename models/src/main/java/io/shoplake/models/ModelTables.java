package io.shoplake.models;

import io.shoplake.core.TableId;
import io.shoplake.core.Tables;

/** The tables the models read and write, and where trained models live in the warehouse. */
public final class ModelTables {
  public static final TableId SILVER_ORDERS = new TableId("silver", "orders");
  public static final TableId SILVER_ORDER_ITEMS = new TableId("silver", "order_items");
  public static final TableId SILVER_PRODUCTS = new TableId("silver", "products");
  public static final TableId SILVER_CUSTOMERS = new TableId("silver", "customers");
  /** Added by the clickstream issue; read when it exists. */
  public static final TableId SILVER_CLICKSTREAM = new TableId("silver", "clickstream");
  public static final TableId MODEL_REGISTRY = new TableId("gold", "model_registry");
  public static final TableId RECOMMENDATIONS = new TableId("gold", "recommendations");
  public static final TableId SIMILAR_ITEMS = new TableId("gold", "similar_items");

  private ModelTables() {}

  /** Folder of one trained model version: {@code <warehouse>/_models/recommendations/v<n>}. */
  public static String modelPath(Tables tables, long version) {
    return tables.warehouse() + "/_models/recommendations/v" + version;
  }
}
