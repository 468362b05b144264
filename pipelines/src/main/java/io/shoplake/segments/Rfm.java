package io.shoplake.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import io.shoplake.core.CdcColumns;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Recency, frequency and monetary scores per customer, as of a time.
 *
 * <p>Orders that count: live (not deleted), not cancelled, with a customer, created by the
 * as-of time. Each score is a quintile of all scored customers: 1 + ⌊5 × (rank − 1) / n⌋, rank
 * from the worst value (oldest last order, fewest orders, least spent) with ties sharing the
 * lowest rank, so equal values always get the same score. A customer whose only order was
 * cancelled has no score.
 */
public final class Rfm {
  private Rfm() {}

  /**
   * @param orders silver.orders (customer_id, order_id, status, total, created_at, _is_deleted)
   * @return customer_id, last_order_at, recency_days, frequency, monetary, recency_score,
   *     frequency_score, monetary_score, segment
   */
  public static Dataset<Row> scores(Dataset<Row> orders, Instant asOf) {
    Timestamp at = Timestamp.from(asOf);
    Dataset<Row> perCustomer = orders
        .filter(col(CdcColumns.IS_DELETED).equalTo(false).and(col("status").notEqual("cancelled"))
            .and(col("customer_id").isNotNull()).and(col("created_at").leq(lit(at))))
        .groupBy("customer_id")
        .agg(max("created_at").as("last_order_at"), count("order_id").as("frequency"), sum("total").as("monetary"))
        .withColumn("recency_days", datediff(to_date(lit(at)), to_date(col("last_order_at"))));
    long n = perCustomer.count();
    Dataset<Row> scored = perCustomer
        .withColumn("recency_score", quintile(col("recency_days").desc(), n))
        .withColumn("frequency_score", quintile(col("frequency").asc(), n))
        .withColumn("monetary_score", quintile(col("monetary").asc(), n));
    return scored.withColumn("segment",
        RfmSegments.of(col("recency_score"), col("frequency_score"), col("monetary_score")));
  }

  // One window over all customers: ranks are global by definition (one task; fine for millions of rows).
  private static Column quintile(Column worstFirst, long n) {
    Column r = rank().over(Window.orderBy(worstFirst));
    return floor(r.minus(1).multiply(5).divide(lit(Math.max(n, 1)))).plus(1).cast("int");
  }
}
