package io.shoplake.inventory;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.shoplake.cdc.CdcHistory;
import io.shoplake.core.Cycles;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Hourly stock snapshots, so analysts chart stock over time without replaying history.
 *
 * <p>Reads: {@code silver.inventory_history}. Writes: {@code gold.inventory_snapshots}, one row
 * per live product×location per top of the hour, each hour written whole (replaceWhere), so a
 * rerun rewrites the same rows. Each cycle ({@link Cycles}: one per available-now run, one per
 * trigger interval when continuous) takes every hour that is due, so a missed run is made up
 * exactly, from history, by the next. Trigger: the configured one.
 * Run: {@code shoplake run gold.inventory_snapshots}.
 */
public final class InventorySnapshotJob implements Job {
  public static final String NAME = "gold.inventory_snapshots";
  public static final TableId TABLE = new TableId("gold", "inventory_snapshots");
  static final TableId HISTORY = new TableId("silver", "inventory_history");
  private final InventorySettings settings;

  public InventorySnapshotJob(InventorySettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(HISTORY).writes(output());
  }

  public static TableDefinition output() {
    return TableDefinition.of(TABLE, InventorySnapshots.SCHEMA);
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Duration delay = settings.snapshotDelay();
    return Cycles.start(ctx, NAME, asOf -> snapshotDueHours(ctx.spark(), tables, asOf, delay));
  }

  /** Writes every hour due at {@code now}; returns them. */
  public static List<Instant> snapshotDueHours(SparkSession spark, Tables tables, Instant now, Duration delay) {
    TableAccess access = TableAccess.of(spark, tables);
    Dataset<Row> history = access.read(HISTORY);
    Dataset<Row> snapshots = access.read(TABLE);
    Timestamp last = snapshots.agg(max("snapshot_at")).first().getTimestamp(0);
    Timestamp earliest = history.agg(min(CdcHistory.VALID_FROM)).first().getTimestamp(0);
    List<Instant> hours = InventorySnapshots.dueHours(last == null ? null : last.toInstant(),
        earliest == null ? null : earliest.toInstant(), now, delay);
    if (hours.isEmpty()) return hours;
    String replace = hours.stream().map(h -> "TIMESTAMP '" + h + "'")
        .collect(Collectors.joining(", ", "snapshot_at IN (", ")"));
    access.overwrite(TABLE, InventorySnapshots.at(spark, history, hours), replace);
    return hours;
  }
}
