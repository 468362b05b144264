package io.shoplake.orders;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Erasure;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Maintains {@code silver.order_lifecycle} (one row per order: status and the time of each
 * stage) incrementally from new order events, and can rebuild it from all of them.
 *
 * <p>Reads: {@code silver.order_events} (insert-only, read as a stream). Writes:
 * {@code silver.order_lifecycle} (MERGE; every column is an idempotent fold, so a replayed
 * batch changes nothing). Run: {@code shoplake run silver.order_lifecycle}.
 */
public final class OrderLifecycleJob implements Job {
  public static final TableId TABLE = new TableId("silver", "order_lifecycle");

  @Override
  public String name() {
    return TABLE.toString();
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.SILVER_ORDER_EVENTS).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.withChangeFeed(TABLE, OrderLifecycle.SCHEMA).erasedBy(Erasure.clearColumn());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> events = ctx.readDeltaStream(Tables.SILVER_ORDER_EVENTS);
    return ctx.startForEachBatch(events, name(), (batch, batchId) -> applyBatch(ctx.spark(), tables, batch));
  }

  public static void applyBatch(SparkSession spark, Tables tables, Dataset<Row> events) {
    TableAccess.of(spark, tables).forChange(TABLE).as("t")
        .merge(OrderLifecycle.fold(events).as("s"), "t.order_id = s.order_id")
        .whenMatched().updateExpr(OrderLifecycle.combine())
        .whenNotMatched().insertAll()
        .execute();
  }

  /** Replaces the table by the fold of every order event: the event log is the source of truth. */
  public static void rebuild(SparkSession spark, Tables tables) {
    TableAccess access = TableAccess.of(spark, tables);
    access.overwrite(TABLE, OrderLifecycle.fold(access.read(Tables.SILVER_ORDER_EVENTS)), null);
  }
}
