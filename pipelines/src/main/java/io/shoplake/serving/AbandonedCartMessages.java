package io.shoplake.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Events of gold.abandoned_carts: one per recorded cart, from its insert in the change feed. */
public final class AbandonedCartMessages {
  private AbandonedCartMessages() {}

  /**
   * Kafka {@code key, value}: key = session id; value = {session_id, customer_id, products,
   * cart_value, first_cart_at, last_event_at, abandoned_at, version (gold commit version)}.
   * The table is insert-only per session, so each cart appears here once.
   */
  public static Dataset<Row> events(Dataset<Row> changeFeed) {
    return changeFeed.filter(col("_change_type").equalTo("insert"))
        .select(col("session_id").as("key"),
            to_json(struct(col("session_id"), col("customer_id"), col("products"), col("cart_value"),
                col("first_cart_at"), col("last_event_at"), col("abandoned_at"),
                col("_commit_version").as("version"))).as("value"));
  }
}
