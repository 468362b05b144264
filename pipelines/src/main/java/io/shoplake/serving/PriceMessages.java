package io.shoplake.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Serving values of gold.price_recommendations. */
public final class PriceMessages {
  private PriceMessages() {}

  /**
   * The newest recommendation per product in a change-feed batch: product_id, value (JSON:
   * product_id, recommended_price, current_price, list_price, change_pct, reason_codes,
   * stock_cover_days, computed_at, version), version = the gold commit version that wrote it.
   */
  public static Dataset<Row> latest(Dataset<Row> changeFeed) {
    Dataset<Row> newest = changeFeed.filter(col("_change_type").isin("insert", "update_postimage"))
        .withColumn("_rank", row_number().over(Window.partitionBy("product_id").orderBy(col("_commit_version").desc())))
        .filter(col("_rank").equalTo(1));
    return values(newest, col("_commit_version"));
  }

  /**
   * Every product's recommendation in the table as of {@code version}, each tagged with that
   * version (the commit that last changed it is not in a snapshot; the state at it is).
   */
  public static Dataset<Row> all(Dataset<Row> tableAtVersion, long version) {
    return values(tableAtVersion, lit(version));
  }

  private static Dataset<Row> values(Dataset<Row> recommendations, Column version) {
    return recommendations.select(col("product_id"),
        to_json(struct(col("product_id"), col("recommended_price"), col("current_price"), col("list_price"),
            col("change_pct"), col("reason_codes"), col("stock_cover_days"), col("computed_at"),
            version.cast("long").as("version"))).as("value"),
        version.cast("long").as("version"));
  }

  public static Dataset<Row> kafka(Dataset<Row> latest) {
    return latest.select(col("product_id").cast("string").as("key"), col("value"));
  }

  public static Dataset<Row> redis(Dataset<Row> latest, String keyPrefix) {
    return latest.select(concat(lit(keyPrefix + ":price:"), col("product_id").cast("string")).as("redis_key"),
        col("value"), col("version"));
  }
}
