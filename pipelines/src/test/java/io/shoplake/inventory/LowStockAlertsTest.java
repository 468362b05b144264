package io.shoplake.inventory;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.testing.SharedSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class LowStockAlertsTest {
  private static final int THRESHOLD = 5;
  private static final StructType FEED = new StructType()
      .add("product_id", DataTypes.LongType).add("location_id", DataTypes.StringType)
      .add("available", DataTypes.IntegerType).add("is_deleted", DataTypes.BooleanType)
      .add("version", DataTypes.LongType).add("source_ts", DataTypes.TimestampType)
      .add("_change_type", DataTypes.StringType).add("_commit_version", DataTypes.LongType);

  /** A gold change-feed batch, built the way Delta writes it for MERGE. */
  private static final class Feed {
    final List<Row> rows = new ArrayList<>();

    Feed insert(long product, String location, int available, long version, long commit) {
      rows.add(RowFactory.create(product, location, available, false, version, new Timestamp(version), "insert", commit));
      return this;
    }

    Feed update(long product, String location, int before, long beforeVersion, int after, long version, long commit) {
      rows.add(RowFactory.create(product, location, before, false, beforeVersion, new Timestamp(beforeVersion),
          "update_preimage", commit));
      rows.add(RowFactory.create(product, location, after, false, version, new Timestamp(version),
          "update_postimage", commit));
      return this;
    }

    Feed delete(long product, String location, int before, long beforeVersion, long version, long commit) {
      rows.add(RowFactory.create(product, location, before, false, beforeVersion, new Timestamp(beforeVersion),
          "update_preimage", commit));
      rows.add(RowFactory.create(product, location, 0, true, version, new Timestamp(version), "update_postimage", commit));
      return this;
    }

    Dataset<Row> alerts() {
      return LowStockAlerts.crossings(SharedSpark.get().createDataFrame(rows, FEED), THRESHOLD);
    }
  }

  private static final List<String> COLUMNS = List.of("alert_id", "kind", "available", "threshold");

  @Test
  void fallingBelowTheThresholdAlertsOnceAndStayingLowAlertsNothing() {
    assertRows(new Feed().update(1, "WH-EAST", 8, 10, 3, 20, 1).alerts(), COLUMNS,
        List.of(row("1/WH-EAST/20", "LOW", 3, 5)));
    // The next batch: still low (3 -> 0, zero stock), no second alert.
    assertRows(new Feed().update(1, "WH-EAST", 3, 20, 0, 30, 2).alerts(), COLUMNS, List.of());
  }

  @Test
  void aReservationReleasedByACancelledOrderRestocks() {
    // available 2 -> 6 when the cancelled order's 4 reserved units come back.
    assertRows(new Feed().update(1, "WH-EAST", 2, 30, 6, 40, 3).alerts(), COLUMNS,
        List.of(row("1/WH-EAST/40", "RESTOCKED", 6, 5)));
  }

  @Test
  void exactlyAtTheThresholdIsNotLow() {
    assertRows(new Feed().update(2, "STORE-1", 9, 10, 5, 20, 1).alerts(), COLUMNS, List.of());
    assertRows(new Feed().update(2, "STORE-1", 4, 10, 5, 20, 1).alerts(), COLUMNS,
        List.of(row("2/STORE-1/20", "RESTOCKED", 5, 5)));
  }

  @Test
  void aBatchComparesItsStartWithItsEndSoADipAndRecoveryInsideItAlertsNothing() {
    Feed feed = new Feed().update(3, "WH-WEST", 9, 10, 1, 20, 1).update(3, "WH-WEST", 1, 20, 7, 30, 2);
    assertRows(feed.alerts(), COLUMNS, List.of());
    Feed down = new Feed().update(3, "WH-WEST", 9, 10, 7, 20, 1).update(3, "WH-WEST", 7, 20, 2, 30, 2);
    assertRows(down.alerts(), COLUMNS, List.of(row("3/WH-WEST/30", "LOW", 2, 5)));
  }

  @Test
  void aNewLocationWithLittleStockAlertsAndDeletingALowOneClearsIt() {
    Feed feed = new Feed().insert(4, "STORE-2", 1, 50, 1).insert(5, "STORE-2", 40, 51, 1)
        .delete(6, "WH-EAST", 2, 10, 52, 1).delete(7, "WH-EAST", 30, 10, 53, 1);
    assertRows(feed.alerts(), COLUMNS, List.of(row("4/STORE-2/50", "LOW", 1, 5), row("6/WH-EAST/52", "REMOVED", 0, 5)));
  }

  @Test
  void aRowInsertedLowAndChangedAgainInTheSameBatchStillAlertsOnce() {
    Feed feed = new Feed().insert(8, "WH-EAST", 3, 60, 1).update(8, "WH-EAST", 3, 60, 2, 70, 2);
    assertRows(feed.alerts(), COLUMNS, List.of(row("8/WH-EAST/70", "LOW", 2, 5)));
  }
}
