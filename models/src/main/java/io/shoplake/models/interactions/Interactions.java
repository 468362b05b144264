package io.shoplake.models.interactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.max;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One row per user×item: {@code user_id, item_id, confidence, last_ts}. Confidence is what
 * implicit ALS weighs a pair by: the sum of event weights, each halved per half-life of age.
 */
public final class Interactions {
  private Interactions() {}

  /**
   * @param asOf ages are counted back from here (the end of the training window)
   * @param halfLifeMillis 0 or less: no decay
   */
  public static Dataset<Row> aggregate(Dataset<Row> events, Instant asOf, long halfLifeMillis) {
    Column weight = col("weight");
    if (halfLifeMillis > 0) {
      Column ageMillis = lit(Timestamp.from(asOf)).cast("double").minus(col("event_ts").cast("double")).multiply(1000);
      weight = weight.multiply(pow(lit(0.5), greatest(lit(0.0), ageMillis).divide(halfLifeMillis)));
    }
    return events.groupBy("user_id", "item_id")
        .agg(sum(weight).as("confidence"), max("event_ts").as("last_ts"));
  }
}
