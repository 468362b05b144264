package io.shoplake.serving;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Serving values of gold.customer_segments: membership changes and each customer's current segments. */
public final class SegmentMessages {
  private SegmentMessages() {}

  /** Memberships that began (insert) or ended (delete) in a change-feed batch; updates change neither. */
  public static Dataset<Row> membershipChanges(Dataset<Row> changeFeed) {
    return changeFeed.filter(col("_change_type").isin("insert", "delete"));
  }

  /**
   * Kafka {@code key, value}: key = customer id; value = {customer_id, segment, segment_type,
   * change (entered | left), entered_at, at (entered: entered_at; left: when the change was
   * committed), version (gold commit version)}.
   */
  public static Dataset<Row> changeEvents(Dataset<Row> membershipChanges) {
    var isEntered = col("_change_type").equalTo("insert");
    return membershipChanges.select(col("customer_id").cast("string").as("key"),
        to_json(struct(col("customer_id"), col("segment"), col("segment_type"),
            when(isEntered, lit("entered")).otherwise(lit("left")).as("change"), col("entered_at"),
            when(isEntered, col("entered_at")).otherwise(col("_commit_timestamp")).as("at"),
            col("_commit_version").as("version"))).as("value"));
  }

  /**
   * Redis rows {@code redis_key, value, version} for the touched customers from the table at
   * {@code version}: value = {customer_id, segments: [{segment, segment_type, entered_at}]
   * sorted by segment, version}; a customer without segments left gets an empty list.
   */
  public static Dataset<Row> currentValues(Dataset<Row> touched, Dataset<Row> tableAtVersion, long version,
      String keyPrefix) {
    Dataset<Row> grouped = tableAtVersion.join(touched, "customer_id")
        .groupBy("customer_id")
        .agg(array_sort(collect_list(struct(col("segment"), col("segment_type"), col("entered_at")))).as("segments"));
    return touched.join(grouped, "customer_id", "left")
        .select(concat(lit(keyPrefix + ":segments:"), col("customer_id").cast("string")).as("redis_key"),
            to_json(struct(col("customer_id"),
                coalesce(col("segments"), org.apache.spark.sql.functions.array()).as("segments"),
                lit(version).as("version"))).as("value"),
            lit(version).as("version"));
  }
}
