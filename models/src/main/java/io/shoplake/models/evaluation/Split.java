package io.shoplake.models.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import io.shoplake.models.interactions.Interactions;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Training interactions and the held-out pairs a model must find.
 *
 * @param trainEvents the events behind {@code train}, for a nested (validation) split
 * @param train {@code user_id, item_id, confidence, last_ts}
 * @param test {@code user_id, item_id}: pairs of the held-out part that are not in {@code train}
 * @param description how the split was made, for the registry
 */
public record Split(Dataset<Row> trainEvents, Dataset<Row> train, Dataset<Row> test,
    Instant windowStart, Instant windowEnd, String description) {

  /** How to split events; the same rule splits the training part again for validation. */
  public interface Rule {
    Split apply(Dataset<Row> events);
  }

  /**
   * Train on events before {@code windowEnd - testPeriod}, evaluate on the events after: the
   * past predicts the future, never the other way round.
   */
  public static Rule byTime(long testPeriodMillis, long halfLifeMillis) {
    return byCutoff(events -> maxTs(events).minusMillis(testPeriodMillis), halfLifeMillis);
  }

  /** Train on the earliest events, evaluate on the latest {@code fraction} of them (for files). */
  public static Rule byTimeFraction(double fraction, long halfLifeMillis) {
    return byCutoff(events -> Instant.ofEpochSecond(events.selectExpr(
        "percentile_approx(CAST(event_ts AS LONG), " + (1 - fraction) + ")").first().getLong(0)), halfLifeMillis);
  }

  private static Instant maxTs(Dataset<Row> events) {
    Row r = events.agg(max("event_ts")).first();
    if (r.isNullAt(0)) throw new IllegalArgumentException("no interactions to split");
    return r.getTimestamp(0).toInstant();
  }

  private static Rule byCutoff(java.util.function.Function<Dataset<Row>, Instant> cutoffOf, long halfLifeMillis) {
    return events -> {
      Row bounds = events.agg(min("event_ts"), max("event_ts")).first();
      if (bounds.isNullAt(0)) throw new IllegalArgumentException("no interactions to split");
      Instant start = bounds.getTimestamp(0).toInstant();
      Instant end = bounds.getTimestamp(1).toInstant();
      Instant cutoff = cutoffOf.apply(events);
      Dataset<Row> before = events.filter(col("event_ts").lt(lit(Timestamp.from(cutoff))));
      Dataset<Row> after = events.filter(col("event_ts").geq(lit(Timestamp.from(cutoff))));
      Dataset<Row> train = Interactions.aggregate(before, cutoff, halfLifeMillis);
      return new Split(before, train, unseen(after, train), start, end, "time: test from " + cutoff);
    };
  }

  /**
   * Holds out {@code fraction} of each user's items, chosen by a hash of (seed, user, item), so
   * the split is the same whatever the partitioning (the protocol of published MovieLens results).
   */
  public static Rule randomPerUser(double fraction, long seed, long halfLifeMillis) {
    return events -> {
      Row bounds = events.agg(min("event_ts"), max("event_ts")).first();
      if (bounds.isNullAt(0)) throw new IllegalArgumentException("no interactions to split");
      Dataset<Row> pairs = events.select("user_id", "item_id").distinct()
          .withColumn("_draw", xxhash64(lit(seed), col("user_id"), col("item_id")))
          .withColumn("_n", count(lit(1)).over(Window.partitionBy("user_id")))
          .withColumn("_rank", row_number().over(Window.partitionBy("user_id").orderBy("_draw", "item_id")))
          .withColumn("_held", col("_rank").leq(col("_n").multiply(fraction).plus(0.5).cast("int")))
          .select("user_id", "item_id", "_held");
      Dataset<Row> tagged = events.join(pairs, new String[] {"user_id", "item_id"});
      Dataset<Row> trainEvents = tagged.filter("NOT _held").drop("_held");
      Dataset<Row> heldOut = tagged.filter("_held").drop("_held");
      Instant end = bounds.getTimestamp(1).toInstant();
      Dataset<Row> train = Interactions.aggregate(trainEvents, end, halfLifeMillis);
      return new Split(trainEvents, train, unseen(heldOut, train), bounds.getTimestamp(0).toInstant(), end,
          "random-per-user: fraction " + fraction + ", seed " + seed);
    };
  }

  /** Held-out pairs minus those already in training: a model is never credited for a known item. */
  private static Dataset<Row> unseen(Dataset<Row> heldOutEvents, Dataset<Row> train) {
    return heldOutEvents.select("user_id", "item_id").distinct()
        .join(train.select("user_id", "item_id"), new String[] {"user_id", "item_id"}, "left_anti");
  }
}
