package io.shoplake.inventory;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Low-stock alerts from the change feed of {@code gold.inventory_availability}: one alert per
 * crossing of the threshold, not one per batch. A product×location alerts {@code LOW} when
 * its available units fall below the threshold and {@code RESTOCKED} when they come back to
 * it or above; a batch holding several changes of one row compares its state before the
 * batch with its state after it. A deleted location is not low: deleting a low one alerts
 * {@code REMOVED}, so the newest alert of every location always tells whether it is low.
 */
public final class LowStockAlerts {
  public static final String LOW = "LOW";
  public static final String RESTOCKED = "RESTOCKED";
  /** A low location was deleted: the alert is cleared, nothing is left to restock. */
  public static final String REMOVED = "REMOVED";

  private LowStockAlerts() {}

  /**
   * @param changeFeed rows of the gold change feed ({@code _change_type}, {@code _commit_version})
   * @return {@code alert_id, product_id, location_id, kind, available, threshold, version, source_ts};
   *     {@code alert_id} (product/location/version) is the same when a batch is replayed, so a
   *     consumer drops repeats by it
   */
  public static Dataset<Row> crossings(Dataset<Row> changeFeed, int threshold) {
    Column order = struct(col("_commit_version"), col("version"));
    Column low = col("is_deleted").unary_$bang().and(col("available").lt(threshold));
    Dataset<Row> perKey = changeFeed.filter(col("_change_type").isin("insert", "update_preimage", "update_postimage"))
        .withColumn("_low", low)
        .groupBy("product_id", "location_id")
        .agg(
            // The state before the batch: the first pre-image, unless the row was inserted in
            // this batch (its first change is the insert): then it had no state to be low in.
            min_by(struct(col("_change_type").as("type"), col("_low").as("low")),
                when(col("_change_type").notEqual("update_postimage"), order)).as("first"),
            max_by(struct(col("_low"), col("is_deleted"), col("available"), col("version"), col("source_ts")),
                when(col("_change_type").notEqual("update_preimage"), order)).as("now"));
    Column wasLow = col("first.type").equalTo("update_preimage").and(col("first.low"));
    Column isLow = col("now._low");
    Column kind = when(col("now.is_deleted"), when(wasLow, lit(REMOVED)))
        .when(isLow.and(wasLow.unary_$bang()), lit(LOW))
        .when(isLow.unary_$bang().and(wasLow), lit(RESTOCKED));
    return perKey.withColumn("kind", kind).filter(col("kind").isNotNull())
        .select(
            concat_ws("/", col("product_id").cast("string"), col("location_id"), col("now.version").cast("string"))
                .as("alert_id"),
            col("product_id"), col("location_id"), col("kind"), col("now.available").as("available"),
            lit(threshold).as("threshold"), col("now.version").as("version"), col("now.source_ts").as("source_ts"));
  }
}
