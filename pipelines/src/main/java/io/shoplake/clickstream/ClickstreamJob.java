package io.shoplake.clickstream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Erasure;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.ErrorClass;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Clean, deduplicated, sessionised clickstream.
 *
 * <p>Reads: {@code bronze.clickstream} (Delta stream). Writes: {@code silver.clickstream} (one
 * row per event id, change feed on: a re-split updates session_id, so stream it through the
 * change feed or with skipChangeCommits), {@code silver.clickstream_sessions} (one row per session, change
 * feed on), {@code quality.quarantine} and {@code quality.pipeline_events}. Trigger: the configured one.
 * Run: {@code shoplake run silver.clickstream}.
 *
 * <p><b>Contract.</b> Each record is checked against {@code conf/contracts/clickstream-event.schema.json};
 * a record that breaks it is quarantined with the class the contract names (MALFORMED_JSON,
 * MISSING_FIELD, WRONG_TYPE, UNKNOWN_EVENT_TYPE, BAD_TIMESTAMP, INVALID_VALUE).
 *
 * <p><b>Late-data policy.</b> An event may reach Kafka at most {@code shoplake.clickstream.allowed-lateness}
 * after its {@code ts} (the record's Kafka timestamp against the client's time, so pipeline delays
 * and outages make nothing late); a later one is quarantined as {@code LATE_EVENT} with both
 * times, and one whose {@code ts} is more than {@code max-clock-skew} ahead of its arrival as
 * {@code FUTURE_EVENT}. Both times are stored, so a replay decides the same way.
 *
 * <p><b>Dedupe.</b> In the stream, {@link FirstSeenEvents}: per event id, the first copy goes on,
 * later copies with the same content are resends, and a copy with other content is quarantined as
 * {@code EVENT_ID_CONFLICT}; the state is kept for {@code dedupe-watermark} (in the checkpoint). The
 * watermark runs on bronze's arrival time, not on event time: arrival only grows from one bronze
 * commit to the next, so the watermark never drops a record, whereas on event time it would drop
 * late events without a trace. Then, in the batch, an insert-only MERGE on the event id, so a
 * replayed batch, or a resend after the state expired, writes nothing twice; a copy that silver
 * holds with other content is a conflict there too.
 *
 * <p><b>Sessions.</b> Assigned deterministically per micro-batch: every client session the batch
 * touches is re-split from all its accepted events (in silver + new) at gaps of at least
 * {@code session-gap}; changed session ids are updated in silver and the sessions of those client
 * sessions replaced. A late event that bridges two sessions therefore merges them, which a
 * {@code session_window} aggregation in append mode could not undo once emitted.
 *
 * <p><b>Bots.</b> See {@link BotFilter}: events over the per-minute rate are quarantined as
 * {@code BOT_SUSPECTED}.
 */
public final class ClickstreamJob implements Job {
  public static final String NAME = "silver.clickstream";

  private final ClickEventContract contract = ClickEventContract.load();
  private final ClickstreamSettings settings;

  public ClickstreamJob(ClickstreamSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.bronzeFor(topics.clickstream()))
        .writes(outputs()).writes(Quarantine.TABLE, PipelineEvents.TABLE);
  }

  public static List<TableDefinition> outputs() {
    return List.of(
        TableDefinition.withChangeFeed(Tables.SILVER_CLICKSTREAM, ClickEvents.SCHEMA).erasedBy(Erasure.clearColumn()),
        TableDefinition.withChangeFeed(Tables.SILVER_CLICKSTREAM_SESSIONS, Sessions.SCHEMA).erasedBy(Erasure.clearColumn()));
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Dataset<Row> bronze = ctx.readDeltaStream(Tables.bronzeFor(tables.topics().clickstream()));
    Dataset<Row> deduped = FirstSeenEvents.of(ClickEvents.decode(bronze, contract, settings),
        settings.dedupeWatermarkMillis());
    return ctx.startAppendingForEachBatch(deduped, NAME,
        List.of(Quarantine.appendedBy(tables, NAME), PipelineEvents.appendedBy(tables, NAME)),
        (batch, batchId) -> applyBatch(ctx.spark(), tables, settings, batch, batchId));
  }

  /** Writes one decoded micro-batch: silver events, their sessions, quarantine and the event log. */
  public static void applyBatch(SparkSession spark, Tables tables, ClickstreamSettings settings,
      Dataset<Row> decoded, long batchId) {
    long started = System.currentTimeMillis();
    Dataset<Row> batch = decoded.persist();
    try {
      // After a batch moves the dedupe's watermark, Spark runs one without data to expire state;
      // it would cost a batch's every query and MERGE for nothing to write.
      if (batch.isEmpty()) return;
      Dataset<Row> valid = batch.filter(col("error_class").isNull()).dropDuplicates("event_id");
      Dataset<Row> touched = valid.select("client_session_id").distinct();
      // Everything silver holds of the touched client sessions: the rest of each session, the
      // events a resend duplicates, and the counts the bot filter adds to.
      Dataset<Row> kept = TableAccess.of(spark, tables).read(Tables.SILVER_CLICKSTREAM)
          .join(touched, "client_session_id").select(ClickEvents.silverColumns())
          .localCheckpoint();
      Dataset<Row> fresh = valid.join(kept.select("event_id"), "event_id", "left_anti");
      Dataset<Row> conflicts = conflictsWithSilver(valid, kept);
      Dataset<Row> screened = BotFilter.flag(fresh, kept, settings.maxEventsPerMinute()).localCheckpoint();
      Dataset<Row> accepted = screened.filter(col("error_class").isNull()).withColumn("session_id", lit(""));

      Dataset<Row> assigned = Sessions.assign(
          kept.drop("session_id").unionByName(accepted.select(ClickEvents.silverColumns()).drop("session_id")),
          settings.sessionGapMillis()).select(ClickEvents.silverColumns()).localCheckpoint();
      writeEvents(spark, tables, assigned);
      SessionTable.replace(spark, tables, Sessions.summarize(assigned), touched);

      Dataset<Row> rejected = forQuarantine(batch.filter(col("error_class").isNotNull()))
          .unionByName(forQuarantine(screened.filter(col("error_class").isNotNull())))
          .unionByName(forQuarantine(conflicts));
      Map<String, Long> quarantinedByRule = countByErrorClass(rejected);
      if (!quarantinedByRule.isEmpty()) {
        Quarantine.append(tables, rejected, NAME, Tables.bronzeFor(tables.topics().clickstream()), batchId);
      }
      Row screenedCounts = screened.agg(count(lit(1)), sum(when(col("error_class").isNull(), 1L).otherwise(0L))).first();
      report(spark, tables, batchId, started, batch, screenedCounts.getLong(0),
          screenedCounts.isNullAt(1) ? 0 : screenedCounts.getLong(1), quarantinedByRule);
    } finally {
      batch.unpersist();
    }
  }

  /**
   * The batch's line in {@code quality.pipeline_events}: of the rows it saw, {@code applied} are
   * new events, {@code duplicate} repeat an event of the batch or of silver, the rest are
   * quarantined (a conflict with silver among them: valid in the batch, but no resend). Repeats
   * the streaming dedupe dropped never reach a batch; {@code check reconcile} accounts for them
   * record by record.
   */
  private static void report(SparkSession spark, Tables tables, long batchId, long started, Dataset<Row> batch,
      long fresh, long applied, Map<String, Long> quarantinedByRule) {
    Column valid = col("error_class").isNull();
    Row seen = batch.agg(count(lit(1)), sum(when(valid, 1L).otherwise(0L)), max(when(valid, col("event_ts"))),
        sum(when(col("error_class").equalTo(ErrorClass.EVENT_ID_CONFLICT), 1L).otherwise(0L))).first();
    long rowsIn = seen.getLong(0);
    long validRows = seen.isNullAt(1) ? 0 : seen.getLong(1);
    long conflictsInStream = seen.isNullAt(3) ? 0 : seen.getLong(3);
    long conflictsWithSilver = quarantinedByRule.getOrDefault(ErrorClass.EVENT_ID_CONFLICT, 0L) - conflictsInStream;
    long quarantined = quarantinedByRule.values().stream().mapToLong(Long::longValue).sum();
    long finished = System.currentTimeMillis();
    PipelineEvents.append(spark, tables, new PipelineEvents.BatchReport(NAME, batchId, new Timestamp(started),
        finished - started, rowsIn, applied, 0, validRows - fresh - conflictsWithSilver, quarantined, 0, quarantinedByRule,
        Map.of(), seen.isNullAt(2) ? null : finished - seen.getTimestamp(2).getTime()));
  }

  private static Map<String, Long> countByErrorClass(Dataset<Row> rejected) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r : rejected.groupBy("error_class").count().orderBy("error_class").collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  /** New events are inserted; known events only move to another session when a late event re-split theirs. */
  private static void writeEvents(SparkSession spark, Tables tables, Dataset<Row> assigned) {
    TableAccess.of(spark, tables).forChange(Tables.SILVER_CLICKSTREAM).as("t")
        .merge(assigned.as("s"), "t.client_session_id = s.client_session_id AND t.event_id = s.event_id")
        .whenMatched("t.session_id <> s.session_id").updateExpr(java.util.Map.of("session_id", "s.session_id"))
        .whenNotMatched().insertAll()
        .execute();
  }

  /**
   * Events of the batch that silver already holds under the same id with other content (a copy
   * that came after the stream's state forgot the first): quarantined, not counted as resends.
   */
  private static Dataset<Row> conflictsWithSilver(Dataset<Row> valid, Dataset<Row> kept) {
    Dataset<Row> silver = kept.select(col("event_id"), FirstSeenEvents.content().as("_silver_content"),
        concat_ws("/", col("_topic"), col("_partition"), col("_offset")).as("_silver_at"));
    return valid.withColumn("_content", FirstSeenEvents.content())
        .join(silver, "event_id")
        .filter(col("_content").notEqual(col("_silver_content")))
        .withColumn("error_class", lit(ErrorClass.EVENT_ID_CONFLICT))
        .withColumn("error_message", concat(lit("event id "), col("event_id"), lit(" is in silver from "),
            col("_silver_at"), lit(" with other content")));
  }

  private static Dataset<Row> forQuarantine(Dataset<Row> rejected) {
    return rejected.select(col("_topic").as("topic"), col("_partition").as("partition"), col("_offset").as("offset"),
        col("key"), col("raw_value"), col("error_class"), col("error_message"));
  }
}
