package io.shoplake.checks;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.orders.OrderEvents;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Each outbox event exactly once in {@code silver.order_events}: the event ids bronze holds in
 * valid events (decoded as the job decodes them; Debezium may deliver one twice after a
 * restart) are the event ids of silver, and no silver row repeats another's. Meaningful once
 * the job caught up.
 */
public final class OrderEventsReconciliation {
  /** {@code events}: distinct valid event ids in bronze. */
  public record Result(long events, long silverRows, List<String> problems) {}

  private OrderEventsReconciliation() {}

  public static Result check(org.apache.spark.sql.SparkSession spark, Tables tables) {
    TableAccess access = TableAccess.of(spark, tables);
    Dataset<Row> inBronze = OrderEvents.decode(access.read(Tables.bronzeFor(tables.topics().orderEvents()))
            .filter(col("value").isNotNull()))
        .filter(col("error_class").isNull()).select("event_id").distinct().persist();
    try {
      Dataset<Row> silver = access.read(Tables.SILVER_ORDER_EVENTS).select("event_id");
      Dataset<Row> inSilver = silver.distinct();
      long events = inBronze.count();
      long silverRows = silver.count();
      long silverEvents = inSilver.count();
      List<String> problems = new ArrayList<>();
      List<String> missing = inBronze.except(inSilver).limit(10).as(Encoders.STRING()).collectAsList();
      if (!missing.isEmpty()) {
        problems.add(inBronze.except(inSilver).count() + " bronze events not in silver, e.g. " + missing);
      }
      long unknown = inSilver.except(inBronze).count();
      if (unknown > 0) problems.add(unknown + " silver events have no valid bronze record");
      if (silverRows > silverEvents) {
        problems.add((silverRows - silverEvents) + " silver rows repeat an event id another row holds");
      }
      return new Result(events, silverRows, problems);
    } finally {
      inBronze.unpersist();
    }
  }
}
