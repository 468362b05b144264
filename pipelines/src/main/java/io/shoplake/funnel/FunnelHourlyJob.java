package io.shoplake.funnel;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KeyedReplace;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Conversion funnel per channel and hour ({@link FunnelHourly}), incrementally.
 *
 * <p>Reads: {@code silver.clickstream_sessions} change feed. Writes: {@code gold.funnel_hourly}
 * (every channel×hour a changed session belongs to, before or after the change, is recomputed
 * from the sessions table and MERGEd, so replays and late events that re-split sessions leave it
 * exact). Trigger: the configured one. Run: {@code shoplake run gold.funnel_hourly}.
 */
public final class FunnelHourlyJob implements Job {
  public static final String NAME = "gold.funnel_hourly";
  private static final List<String> KEYS = List.of("hour", "channel");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.SILVER_CLICKSTREAM_SESSIONS).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.of(Tables.GOLD_FUNNEL_HOURLY, FunnelHourly.SCHEMA);
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> changes = ctx.readChangeFeedStream(Tables.SILVER_CLICKSTREAM_SESSIONS);
    return ctx.startForEachBatch(changes, NAME, (batch, batchId) -> updateBatch(ctx.spark(), tables, batch));
  }

  /** Recomputes the channel×hours that {@code changes} (change-feed rows of sessions) touch. */
  public static void updateBatch(SparkSession spark, Tables tables, Dataset<Row> changes) {
    Dataset<Row> touched = changes.select(FunnelHourly.hourOf(col("session_start")).as("hour"), col("channel"))
        .distinct().localCheckpoint();
    if (touched.isEmpty()) return;
    TableAccess access = TableAccess.of(spark, tables);
    Dataset<Row> sessions = access.read(Tables.SILVER_CLICKSTREAM_SESSIONS)
        .withColumn("hour", FunnelHourly.hourOf(col("session_start")))
        .join(touched, KEYS.toArray(String[]::new)).drop("hour");
    Dataset<Row> slice = access.read(Tables.GOLD_FUNNEL_HOURLY).join(touched, KEYS.toArray(String[]::new));
    KeyedReplace.replace(access, Tables.GOLD_FUNNEL_HOURLY, FunnelHourly.SCHEMA, KEYS, FunnelHourly.compute(sessions),
        slice);
  }
}
