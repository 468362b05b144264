package io.shoplake.segments;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Carts left without a purchase. A cart is a session with products added (adds minus removes
 * of a product above zero). It is abandoned when the session has been quiet for
 * {@code cart-abandonment-after} and there was no purchase since its first add: neither a
 * {@code purchase} event in the session nor a live, not cancelled order of the customer.
 * {@code abandoned_at} = last event of the session + the abandonment delay, so detecting it in
 * a later cycle gives the same row.
 */
public final class AbandonedCarts {
  public static final StructType SCHEMA = new StructType()
      .add("session_id", DataTypes.StringType, false)
      .add("customer_id", DataTypes.LongType, true)
      .add("products", DataTypes.createArrayType(DataTypes.LongType))
      // At current list prices, one unit per product: the clickstream carries no quantities.
      .add("cart_value", DataTypes.createDecimalType(22, 2))
      .add("first_cart_at", DataTypes.TimestampType)
      .add("last_event_at", DataTypes.TimestampType)
      .add("abandoned_at", DataTypes.TimestampType)
      .add("detected_at", DataTypes.TimestampType)
      .add("version", DataTypes.LongType, false);

  private AbandonedCarts() {}

  /**
   * @param clicks silver.clickstream (session_id, customer_id, product_id, event_type, event_ts)
   * @param orders live silver.orders that are not cancelled (customer_id, created_at)
   * @param products live silver.products (product_id, price)
   */
  public static Dataset<Row> detect(Dataset<Row> clicks, Dataset<Row> orders, Dataset<Row> products,
      SegmentsSettings settings, Instant asOf) {
    Timestamp at = Timestamp.from(asOf);
    Dataset<Row> recent = clicks.filter(col("session_id").isNotNull()
        .and(col("event_ts").gt(lit(Timestamp.from(asOf.minusMillis(settings.cartLookbackMillis())))))
        .and(col("event_ts").leq(lit(at))));
    Dataset<Row> sessions = recent.groupBy("session_id").agg(
        max("customer_id").as("customer_id"),
        min(when(col("event_type").equalTo("add_to_cart"), col("event_ts"))).as("first_cart_at"),
        max(when(col("event_type").equalTo("purchase"), col("event_ts"))).as("last_purchase_at"),
        max("event_ts").as("last_event_at"));
    Dataset<Row> inCart = recent.filter(col("product_id").isNotNull())
        .groupBy("session_id", "product_id")
        .agg(sum(when(col("event_type").equalTo("add_to_cart"), 1)
            .when(col("event_type").equalTo("remove_from_cart"), -1).otherwise(0)).as("_net"))
        .filter(col("_net").gt(0))
        .join(products.select("product_id", "price"), "product_id", "left")
        .groupBy("session_id")
        .agg(array_sort(collect_list("product_id")).as("products"), sum("price").as("cart_value"));

    Dataset<Row> quiet = sessions.join(inCart, "session_id")
        .filter(col("first_cart_at").isNotNull()
            .and(col("last_purchase_at").isNull().or(col("last_purchase_at").lt(col("first_cart_at"))))
            .and(abandonedAt(settings).leq(lit(at))));
    Dataset<Row> bought = orders.select(col("customer_id").as("_customer"), col("created_at").as("_ordered_at"))
        .filter(col("_ordered_at").leq(lit(at)));
    return quiet
        .join(bought, col("customer_id").equalTo(col("_customer")).and(col("_ordered_at").geq(col("first_cart_at"))),
            "left_anti")
        .select(col("session_id"), col("customer_id"), col("products"), col("cart_value").cast("decimal(22,2)"),
            col("first_cart_at"), col("last_event_at"), abandonedAt(settings).as("abandoned_at"),
            lit(at).as("detected_at"), lit(asOf.toEpochMilli()).as("version"));
  }

  private static org.apache.spark.sql.Column abandonedAt(SegmentsSettings settings) {
    return timestamp_millis(unix_millis(col("last_event_at")).plus(settings.cartAbandonmentAfterMillis()));
  }
}
