package io.shoplake.clickstream;

import static io.shoplake.quality.ErrorClass.BOT_SUSPECTED;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Implausible event rates: no person clicks more than a configured number of times a minute
 * in one client session. Such events are quarantined as {@value #BOT_SUSPECTED}, so sessions,
 * funnels and demand signals are not inflated by scripts.
 */
public final class BotFilter {

  private BotFilter() {}

  /**
   * Marks {@code fresh} events (new in this batch) whose client session × minute holds more
   * than {@code maxPerMinute} events, counting those already in silver ({@code kept}) too: a
   * burst split across micro-batches is caught, and silver never holds more than the limit
   * for one session and minute. Adds error_class/error_message (null when plausible).
   */
  public static Dataset<Row> flag(Dataset<Row> fresh, Dataset<Row> kept, int maxPerMinute) {
    Dataset<Row> minutes = fresh.select("client_session_id", "event_ts")
        .unionByName(kept.select("client_session_id", "event_ts"))
        .groupBy(col("client_session_id"), date_trunc("minute", col("event_ts")).as("_minute"))
        .agg(count(lit(1)).as("_events"))
        .filter(col("_events").gt(maxPerMinute));
    Dataset<Row> joined = fresh.withColumn("_minute", date_trunc("minute", col("event_ts")))
        .join(minutes, new String[] {"client_session_id", "_minute"}, "left");
    Dataset<Row> flagged = joined
        .withColumn("error_class", org.apache.spark.sql.functions.when(col("_events").isNotNull(), lit(BOT_SUSPECTED)))
        .withColumn("error_message", org.apache.spark.sql.functions.when(col("_events").isNotNull(), concat(
            lit("session "), col("client_session_id"), lit(" has "), col("_events").cast("string"),
            lit(" events in the minute from "), col("_minute").cast("string"),
            lit("; more than shoplake.clickstream.bot.max-events-per-minute = " + maxPerMinute))));
    return flagged.drop("_minute", "_events");
  }
}
