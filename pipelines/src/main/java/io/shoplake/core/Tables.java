package io.shoplake.core;

import java.util.List;

/**
 * Every table name of the project. Paths and checkpoint locations derive from these names
 * and the warehouse root; a job never writes a path literal.
 */
public final class Tables {
  public static final TableId QUARANTINE = new TableId("quality", "quarantine");
  public static final TableId PIPELINE_EVENTS = new TableId("quality", "pipeline_events");
  public static final TableId JOB_FAILURES = new TableId("quality", "job_failures");
  public static final TableId ANOMALY_COUNTS = new TableId("quality", "anomaly_counts");
  public static final TableId ALERTS = new TableId("quality", "alerts");
  public static final TableId ERASURES = new TableId("quality", "erasures");
  public static final TableId SILVER_INVENTORY = new TableId("silver", "inventory");
  public static final TableId SILVER_ORDER_EVENTS = new TableId("silver", "order_events");
  public static final TableId SILVER_ORDERS = new TableId("silver", "orders");
  public static final TableId SILVER_CLICKSTREAM = new TableId("silver", "clickstream");
  public static final TableId SILVER_CLICKSTREAM_SESSIONS = new TableId("silver", "clickstream_sessions");
  public static final TableId GOLD_INVENTORY_AVAILABILITY = new TableId("gold", "inventory_availability");
  public static final TableId GOLD_PRODUCT_AVAILABILITY = new TableId("gold", "product_availability");
  public static final TableId SILVER_CUSTOMERS = new TableId("silver", "customers");
  public static final TableId SILVER_PRODUCTS = new TableId("silver", "products");
  public static final TableId SILVER_ORDER_ITEMS = new TableId("silver", "order_items");
  public static final TableId GOLD_CUSTOMER_SEGMENTS = new TableId("gold", "customer_segments");
  public static final TableId GOLD_ABANDONED_CARTS = new TableId("gold", "abandoned_carts");
  public static final TableId GOLD_PRICE_RECOMMENDATIONS = new TableId("gold", "price_recommendations");
  public static final TableId GOLD_FUNNEL_HOURLY = new TableId("gold", "funnel_hourly");
  public static final TableId GOLD_REVENUE_PER_MINUTE = new TableId("gold", "revenue_per_minute");

  private final String warehouse;
  private final Topics topics;

  public Tables(String warehouse, Topics topics) {
    // Hadoop writes file:/x where a URI says file:///x; one spelling keeps locations comparable.
    String normalized = warehouse.startsWith("file:///") ? "file:/" + warehouse.substring("file:///".length()) : warehouse;
    this.warehouse = normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
    this.topics = topics;
  }

  public static Tables from(ShoplakeConfig config) {
    return new Tables(config.string("shoplake.storage.warehouse"), Topics.from(config));
  }

  public String warehouse() {
    return warehouse;
  }

  public Topics topics() {
    return topics;
  }

  public String path(TableId table) {
    return warehouse + "/" + table.layer() + "/" + table.name();
  }

  /** Checkpoint folder of one streaming query of a job. */
  public String checkpoint(String jobName, String query) {
    return warehouse + "/_checkpoints/" + jobName + "/" + query;
  }

  /** bronze table of a source topic: {@code shop.inventory} lands in {@code bronze.shop_inventory}. */
  public static TableId bronzeFor(String topic) {
    return new TableId("bronze", topic.replaceAll("[^a-zA-Z0-9]", "_").toLowerCase(java.util.Locale.ROOT));
  }

  public List<TableId> bronzeTables() {
    return topics.sources().stream().map(Tables::bronzeFor).toList();
  }
}
