package io.shoplake.inventory;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.testing.SharedSpark;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static final StructType SILVER = new StructType()
      .add("product_id", DataTypes.LongType).add("location_id", DataTypes.StringType)
      .add("on_hand", DataTypes.IntegerType).add("reserved", DataTypes.IntegerType)
      .add("_is_deleted", DataTypes.BooleanType).add("_lsn", DataTypes.LongType)
      .add("_source_ts", DataTypes.TimestampType);
  private final SparkSession spark = SharedSpark.get();

  private Dataset<Row> silver(Row... rows) {
    return spark.createDataFrame(List.of(rows), SILVER);
  }

  private static Row inv(long product, String location, int onHand, int reserved, boolean deleted, long lsn) {
    return RowFactory.create(product, location, onHand, reserved, deleted, lsn, new Timestamp(lsn));
  }

  @Test
  void availableIsOnHandMinusReservedNeverNegativeAndZeroWhenDeleted() {
    Dataset<Row> perLocation = Availability.perLocation(silver(
        inv(1, "WH-EAST", 10, 3, false, 100),
        inv(1, "WH-WEST", 0, 0, false, 101),
        inv(1, "STORE-1", 2, 5, false, 102),
        inv(2, "WH-EAST", 9, 0, true, 103)));

    assertRows(perLocation, List.of("product_id", "location_id", "available", "is_deleted", "version"), List.of(
        row(1L, "WH-EAST", 7, false, 100L),
        row(1L, "WH-WEST", 0, false, 101L),
        row(1L, "STORE-1", 0, false, 102L),
        row(2L, "WH-EAST", 0, true, 103L)));
  }

  @Test
  void productTotalsSumLiveLocationsAndCarryTheNewestVersion() {
    Dataset<Row> perProduct = Availability.perProduct(Availability.perLocation(silver(
        inv(1, "WH-EAST", 10, 3, false, 100),
        inv(1, "WH-WEST", 4, 0, false, 140),
        inv(1, "STORE-1", 6, 1, true, 120),
        inv(2, "WH-EAST", 0, 0, false, 90))));

    assertRows(perProduct, List.of("product_id", "available", "on_hand", "reserved", "locations", "version"), List.of(
        row(1L, 11L, 14L, 3L, 2L, 140L),
        row(2L, 0L, 0L, 0L, 1L, 90L)));
  }
}
