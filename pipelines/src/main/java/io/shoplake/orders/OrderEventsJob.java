package io.shoplake.orders;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Erasure;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.Quarantine;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Keeps every order event exactly once: the event log the order lifecycle is derived from.
 *
 * <p>Reads: {@code bronze.events_order}. Writes: {@code silver.order_events} (insert-only MERGE
 * on event id, so replays and Debezium's at-least-once duplicates add nothing) and
 * {@code quality.quarantine}. Trigger: the configured one. Run: {@code shoplake run silver.order_events}.
 */
public final class OrderEventsJob implements Job {
  public static final String NAME = "silver.order_events";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.bronzeFor(topics.orderEvents()))
        .writes(output(), Quarantine.TABLE);
  }

  public static TableDefinition output() {
    return TableDefinition.withChangeFeed(Tables.SILVER_ORDER_EVENTS, OrderEvents.SCHEMA).erasedBy(Erasure.clearColumn());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> events = ctx.readDeltaStream(Tables.bronzeFor(tables.topics().orderEvents()));
    return ctx.startAppendingForEachBatch(events, NAME, List.of(Quarantine.appendedBy(tables, NAME)),
        (batch, batchId) -> applyBatch(ctx.spark(), tables, batch, batchId));
  }

  static void applyBatch(SparkSession spark, Tables tables, Dataset<Row> batch, long batchId) {
    Dataset<Row> decoded = OrderEvents.decode(batch.filter(col("value").isNotNull())).persist();
    try {
      TableAccess.of(spark, tables).forChange(Tables.SILVER_ORDER_EVENTS).as("t")
          .merge(OrderEvents.firstPerEvent(decoded).as("s"), "t.event_id = s.event_id")
          .whenNotMatched().insertAll()
          .execute();
      Dataset<Row> invalid = decoded.filter(col("error_class").isNotNull());
      if (!invalid.isEmpty()) {
        Quarantine.append(tables, invalid, NAME, Tables.SILVER_ORDER_EVENTS, batchId);
      }
    } finally {
      decoded.unpersist();
    }
  }
}
