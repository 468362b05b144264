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
}
