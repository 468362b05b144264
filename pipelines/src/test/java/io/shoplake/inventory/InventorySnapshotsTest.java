package io.shoplake.inventory;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcHistory;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

class InventorySnapshotsTest {
  private static final StructType HISTORY = new StructType()
      .add("product_id", DataTypes.LongType).add("location_id", DataTypes.StringType)
      .add("on_hand", DataTypes.IntegerType).add("reserved", DataTypes.IntegerType)
      .add("_is_deleted", DataTypes.BooleanType).add("_lsn", DataTypes.LongType)
      .add("valid_from", DataTypes.TimestampType).add("valid_to", DataTypes.TimestampType)
      .add("is_current", DataTypes.BooleanType);

  private static Instant t(String hhmm) {
    return Instant.parse("2026-11-25T" + hhmm + ":00Z");
  }

  private static Row version(long product, String location, int onHand, int reserved, boolean deleted, String from,
      String to) {
    return RowFactory.create(product, location, onHand, reserved, deleted, 1L, Timestamp.from(t(from)),
        to == null ? null : Timestamp.from(t(to)), to == null);
  }

  @Test
  void eachHourHoldsTheVersionValidAtItsTopAndLeavesOutDeletedRows() {
    List<Row> rows = new ArrayList<>(List.of(
        version(1, "WH-EAST", 10, 2, false, "09:15", "10:00"),
        // Changed exactly at 10:00: this version is the one valid at 10:00.
        version(1, "WH-EAST", 4, 6, false, "10:00", "11:30"),
        version(1, "WH-EAST", 0, 0, false, "11:30", null),
        version(2, "STORE-1", 3, 0, false, "09:50", "10:40"),
        version(2, "STORE-1", 3, 0, true, "10:40", null)));
    Dataset<Row> history = SharedSpark.get().createDataFrame(rows, HISTORY);

    assertRows(InventorySnapshots.at(SharedSpark.get(), history, List.of(t("10:00"), t("11:00"), t("12:00")))
            .selectExpr("date_format(snapshot_at, 'HH:mm') AS at", "product_id", "location_id", "on_hand", "reserved",
                "available"),
        List.of("at", "product_id", "location_id", "on_hand", "reserved", "available"), List.of(
            // More reserved than on hand: nothing to promise, never negative.
            row("10:00", 1L, "WH-EAST", 4, 6, 0),
            row("10:00", 2L, "STORE-1", 3, 0, 3),
            row("11:00", 1L, "WH-EAST", 4, 6, 0),
            row("12:00", 1L, "WH-EAST", 0, 0, 0)));
  }

  @Test
  void dueHoursStartAfterTheLastSnapshotAndStopWhereHistoryMayStillBeIncomplete() {
    Duration delay = Duration.ofMinutes(2);
    assertThat(InventorySnapshots.dueHours(null, t("09:15"), t("12:01"), delay))
        .as("12:00 is not due until 12:02").containsExactly(t("10:00"), t("11:00"));
    assertThat(InventorySnapshots.dueHours(t("11:00"), t("09:15"), t("12:05"), delay)).containsExactly(t("12:00"));
    assertThat(InventorySnapshots.dueHours(t("12:00"), t("09:15"), t("12:59"), delay)).isEmpty();
    assertThat(InventorySnapshots.dueHours(null, null, t("12:05"), delay)).as("no history yet").isEmpty();
  }

  @Test
  void theJobTakesEveryDueHourInOneRunAndARerunChangesNothing(@TempDir Path warehouse) throws Exception {
    SparkSession spark = SharedSpark.get();
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.storage.warehouse", warehouse.toUri().toString(), "shoplake.inventory.snapshot-delay", "0s"));
    JobContext ctx = JobContext.create(spark, config);
    CdcTableSpec inventory = Pipeline.cdcSpecs(config).stream().filter(t -> t.table().equals("inventory")).findFirst()
        .orElseThrow();
    TableBootstrap.ensure(spark, ctx.tables(), List.of(CdcHistory.table(inventory), InventorySnapshotJob.output()));
    // Three hours ago product 1 had 10 on hand; 90 minutes ago 4 of them were sold.
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
    Instant sale = Instant.now().minus(90, ChronoUnit.MINUTES);
    String history = ctx.tables().path(InventorySnapshotJob.HISTORY);
    StructType schema = spark.read().format("delta").load(history).schema();
    List<Row> rows = List.of(
        historyRow(schema, 10, Timestamp.from(start.plusSeconds(60)), Timestamp.from(sale), false),
        historyRow(schema, 6, Timestamp.from(sale), null, true));
    spark.createDataFrame(rows, schema).write().format("delta").mode("append").save(history);

    try (JobRunner runner = new JobRunner(ctx)) {
      runner.runToCompletion(List.of(new InventorySnapshotJob(InventorySettings.from(config))));
    }
    Dataset<Row> snapshots = spark.read().format("delta").load(ctx.tables().path(InventorySnapshotJob.TABLE));
    List<Row> taken = snapshots.orderBy("snapshot_at").collectAsList();
    assertThat(taken).as("every top of the hour since the first change, in one run").hasSizeGreaterThanOrEqualTo(3);
    for (int i = 0; i < taken.size(); i++) {
      Instant at = taken.get(i).getTimestamp(0).toInstant();
      assertThat(at).isEqualTo(start.plus(i + 1, ChronoUnit.HOURS));
      assertThat(taken.get(i).<Integer>getAs("on_hand")).as("stock at " + at).isEqualTo(at.isBefore(sale) ? 10 : 6);
    }
    long version = io.delta.tables.DeltaTable.forPath(spark, ctx.tables().path(InventorySnapshotJob.TABLE)).history(1)
        .first().getLong(0);
    try (JobRunner runner = new JobRunner(ctx)) {
      runner.runToCompletion(List.of(new InventorySnapshotJob(InventorySettings.from(config))));
    }
    if (Instant.now().truncatedTo(ChronoUnit.HOURS).equals(taken.get(taken.size() - 1).getTimestamp(0).toInstant())) {
      assertThat(io.delta.tables.DeltaTable.forPath(spark, ctx.tables().path(InventorySnapshotJob.TABLE)).history(1)
          .first().getLong(0)).as("nothing new was due: no commit").isEqualTo(version);
    }
  }

  private static Row historyRow(StructType schema, int onHand, Timestamp from, Timestamp to, boolean current) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (schema.fields()[i].name()) {
        case "product_id" -> 1L;
        case "location_id" -> "WH-EAST";
        case "on_hand" -> onHand;
        case "reserved" -> 0;
        case "_is_deleted" -> false;
        case "_lsn" -> (long) onHand;
        case "valid_from" -> from;
        case "valid_to" -> to;
        case "is_current" -> current;
        default -> null;
      };
    }
    return RowFactory.create(values);
  }
}
