package io.shoplake.models.interactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.CdcColumns;
import io.shoplake.models.ModelsSettings;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Weighted interaction events, one row per thing a customer did with a product:
 * {@code user_id int, item_id int, weight double, event_ts timestamp}. Plain functions of
 * DataFrames, so they are tested without tables.
 */
public final class InteractionEvents {
  /**
   * ALS needs int ids. Customer ids stay as they are (below this bound); an anonymous session,
   * when trained on, becomes a user id at or above it, so it is never mistaken for a customer.
   */
  public static final int ANONYMOUS_BASE = 1_000_000_000;
  /** The event type of an order line (orders, not the clickstream's purchase event, count purchases). */
  public static final String ORDER = "order";

  private InteractionEvents() {}

  /** Order lines of live orders (tombstones and excluded statuses dropped), as {@value #ORDER} events. */
  public static Dataset<Row> fromOrders(Dataset<Row> orders, Dataset<Row> orderItems, ModelsSettings settings) {
    return weighted(orderLines(orders, orderItems, settings), settings.weights());
  }

  /**
   * What customers bought: {@code user_id, item_id, event_type, event_ts} per line of a live
   * order. Also what scoring never recommends again, whatever weight orders have in training.
   */
  public static Dataset<Row> orderLines(Dataset<Row> orders, Dataset<Row> orderItems, ModelsSettings settings) {
    Dataset<Row> live = orders
        .filter(not(col(CdcColumns.IS_DELETED)).and(col("customer_id").isNotNull())
            .and(not(col("status").isin(settings.excludeOrderStatuses().toArray()))))
        .select("order_id", "customer_id", "created_at");
    Dataset<Row> lines = orderItems.filter(not(col(CdcColumns.IS_DELETED))).select("order_id", "product_id");
    return live.join(lines, "order_id").select(
        knownCustomer(col("customer_id")).as("user_id"), intId(col("product_id"), "product"),
        lit(ORDER).as("event_type"), col("created_at").as("event_ts"));
  }

  /**
   * Clickstream events with a product ({@code silver.clickstream} contract: event_id, session_id,
   * customer_id nullable, product_id, event_type, channel, event_ts). Anonymous sessions are
   * dropped or become users of their own, as configured.
   */
  public static Dataset<Row> fromClickstream(Dataset<Row> clicks, ModelsSettings settings) {
    Dataset<Row> withProduct = clicks.filter(col("product_id").isNotNull());
    Column user = settings.anonymous() == ModelsSettings.Anonymous.session
        ? when(col("customer_id").isNotNull(), knownCustomer(col("customer_id")))
            .otherwise(pmod(hash(col("session_id")), lit(ANONYMOUS_BASE)).plus(lit(ANONYMOUS_BASE)))
        : knownCustomer(col("customer_id"));
    Dataset<Row> events = withProduct.filter(user.isNotNull()).select(
        user.as("user_id"), col("product_id").as("item_id"), col("event_type"), col("event_ts"));
    return weighted(events, settings.weights());
  }

  /** A customer id below {@link #ANONYMOUS_BASE}, or the job fails naming it. */
  static Column knownCustomer(Column id) {
    return when(id.isNull(), lit(null).cast("int"))
        .when(id.between(0, ANONYMOUS_BASE - 1), id.cast("int"))
        .otherwise(raise_error(concat(lit("customer id at or above " + ANONYMOUS_BASE
            + " (reserved for anonymous sessions): "), id.cast("string"))).cast("int"));
  }

  /** Gives each event its type's weight; types without a (positive) weight are dropped. */
  static Dataset<Row> weighted(Dataset<Row> events, Map<String, Double> weights) {
    Column weight = lit(null).cast("double");
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      weight = when(col("event_type").equalTo(w.getKey()), lit(w.getValue())).otherwise(weight);
    }
    return events.withColumn("weight", weight)
        .filter(col("weight").gt(0))
        .select(intId(col("user_id"), "user"), intId(col("item_id"), "product"), col("weight"), col("event_ts"));
  }

  /**
   * ALS takes int ids: an id out of that range fails the job with its value rather than turning
   * into null (a silent drop) or into another customer.
   */
  static Column intId(Column id, String what) {
    return when(id.between(0, Integer.MAX_VALUE), id.cast("int"))
        .otherwise(raise_error(concat(lit(what + " id out of ALS's int range: "), id.cast("string"))))
        .cast("int").as(what.equals("user") ? "user_id" : "item_id");
  }
}
