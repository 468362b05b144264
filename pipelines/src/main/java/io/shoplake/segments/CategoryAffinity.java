package io.shoplake.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * A known customer's top category over the behaviour window: views weigh 1, adds to cart 3 (an
 * add says more about intent than a look). Ties go to the category first in name order, so
 * the answer does not depend on how rows are partitioned.
 */
public final class CategoryAffinity {
  static final int VIEW_WEIGHT = 1;
  static final int CART_WEIGHT = 3;

  private CategoryAffinity() {}

  /**
   * @param clicks silver.clickstream (customer_id, product_id, event_type, event_ts)
   * @param products live silver.products (product_id, category)
   * @return customer_id, category, affinity_score
   */
  public static Dataset<Row> of(Dataset<Row> clicks, Dataset<Row> products, Instant asOf, long windowMillis) {
    Dataset<Row> weighted = clicks
        .filter(col("customer_id").isNotNull().and(col("product_id").isNotNull())
            .and(col("event_ts").gt(lit(Timestamp.from(asOf.minusMillis(windowMillis)))))
            .and(col("event_ts").leq(lit(Timestamp.from(asOf))))
            .and(col("event_type").isin("view", "add_to_cart")))
        .join(products.select("product_id", "category").filter(col("category").isNotNull()), "product_id")
        .groupBy("customer_id", "category")
        .agg(sum(when(col("event_type").equalTo("view"), VIEW_WEIGHT).otherwise(CART_WEIGHT)).cast("long")
            .as("affinity_score"));
    return weighted
        .withColumn("_rank", row_number().over(Window.partitionBy("customer_id")
            .orderBy(col("affinity_score").desc(), col("category").asc())))
        .filter(col("_rank").equalTo(1))
        .drop("_rank");
  }
}
