package io.shoplake.serving;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class HotAvailabilityTest {
  private static final CdcTableSpec INVENTORY = CdcTableSpec.from(ShoplakeConfig.load("local", Map.of()), "inventory");

  private static Dataset<Row> hot(DebeziumEvents events) {
    return HotAvailability.fromCdc(events.toBronze(SharedSpark.get()).filter("value IS NOT NULL"), INVENTORY);
  }

  @Test
  void availableIsOnHandMinusReservedNeverNegativeAndADeletePromisesNothing() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .snapshot(inventory(1, "WH-EAST", 10, 3), 100)
        .create(inventory(2, "STORE-1", 4, 0), 150)
        // More reserved than on hand (a reservation raced a stock count): zero, not -3.
        .update(inventory(1, "WH-EAST", 10, 3), inventory(1, "WH-EAST", 5, 8), 200)
        // A cancelled order released its reservation.
        .update(inventory(1, "WH-EAST", 5, 8), inventory(1, "WH-EAST", 5, 2), 250)
        .delete(inventory(2, "STORE-1", 4, 0), 300);

    assertRows(hot(events), List.of("product_id", "location_id", "available", "version", "readable"), List.of(
        row(1L, "WH-EAST", 7, 100L, true),
        row(2L, "STORE-1", 4, 150L, true),
        row(1L, "WH-EAST", 0, 200L, true),
        row(1L, "WH-EAST", 3, 250L, true),
        row(2L, "STORE-1", 0, 300L, true)));
  }

  @Test
  void theVersionIsTheSourceLsnAsInGoldSoBothPathsWriteTheSameVersion() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory").create(inventory(9, "WH-WEST", 1, 0), 26_719_656L);
    Row r = hot(events).first();
    assertThat(r.<Long>getAs("version")).isEqualTo(26_719_656L);
    assertThat(r.<Long>getAs("source_ts_ms")).isEqualTo(events.commitTime(26_719_656L).getTime());
  }

  @Test
  void theSchemaEnvelopeShapeReadsLikeTheSchemalessOne() {
    String payload = "{\"before\":null,\"after\":{\"product_id\":5,\"location_id\":\"WH-EAST\",\"on_hand\":9,\"reserved\":1},"
        + "\"source\":{\"lsn\":4242,\"ts_ms\":1764064800000},\"op\":\"c\",\"ts_ms\":1764064800100}";
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .raw("{\"product_id\":5,\"location_id\":\"WH-EAST\"}", "{\"schema\":{\"fields\":[]},\"payload\":" + payload + "}");
    assertRows(hot(events), List.of("product_id", "location_id", "available", "version", "readable"),
        List.of(row(5L, "WH-EAST", 8, 4242L, true)));
  }

  @Test
  void recordsSilverWouldQuarantineAreMarkedUnreadableNotServed() {
    Map<String, Object> noLocation = inventory(3, "WH-EAST", 1, 0);
    noLocation.remove("location_id");
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .raw("{}", "{not json")
        .raw("{}", "{\"before\":null,\"after\":" + DebeziumEvents.json(inventory(3, "WH-EAST", 1, 0))
            + ",\"source\":{\"ts_ms\":1},\"op\":\"c\"}")
        .raw("{}", "{\"before\":null,\"after\":" + DebeziumEvents.json(noLocation)
            + ",\"source\":{\"lsn\":7,\"ts_ms\":1},\"op\":\"c\"}")
        .raw("{}", "{\"before\":null,\"after\":null,\"source\":{\"lsn\":8,\"ts_ms\":1},\"op\":\"t\"}")
        .raw("{}", "{\"before\":null,\"after\":" + DebeziumEvents.json(inventory(3, "WH-EAST", 1, 0))
            + ",\"source\":{\"lsn\":9,\"ts_ms\":1}}");
    assertThat(hot(events).filter("readable").count()).isZero();
    // The writer reads the flag as a boolean: a null would stop it on the record instead of skipping it.
    assertThat(hot(events).filter("readable IS NULL").count()).isZero();
    assertThat(hot(events).count()).as("each is counted by the writer, none vanishes").isEqualTo(5);
  }

  @Test
  void aChangeSilversExpectationsDropIsNotServedButADeleteOfSuchARowIs() {
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .update(inventory(4, "WH-EAST", 2, 0), inventory(4, "WH-EAST", -3, 0), 400)
        .update(inventory(4, "WH-EAST", 2, 0), inventory(4, "WH-EAST", 2, -1), 410)
        .delete(inventory(4, "WH-EAST", -3, 0), 420);
    assertRows(hot(events), List.of("version", "readable"), List.of(row(400L, false), row(410L, false), row(420L, true)));
  }

  @Test
  void aChangeWhoseKafkaKeyIsNotUtf8IsNotServedAsIngestQuarantinesIt() {
    Dataset<Row> text = new DebeziumEvents("shop.inventory").create(inventory(6, "WH-EAST", 1, 0), 500)
        .toBronze(SharedSpark.get());
    Dataset<Row> kafka = text.withColumn("key", org.apache.spark.sql.functions.unhex(
        org.apache.spark.sql.functions.lit("FF7B7D80")));
    assertRows(HotAvailability.fromCdc(kafka, INVENTORY), List.of("version", "readable"), List.of(row(500L, false)));
    assertRows(hot(new DebeziumEvents("shop.inventory").create(inventory(6, "WH-EAST", 1, 0), 500)),
        List.of("version", "readable"), List.of(row(500L, true)));
  }

  @Test
  void theKafkaValueOfAProductIsRebuiltFromItsRedisHashLikeTheLakehousePublishesIt() {
    Map<String, String> hash = Map.of("WH-EAST", "3", "WH-EAST@v", "250", "STORE-1", "0", "STORE-1@v", "300",
        "_total", "3", "_version", "300");
    assertThat(HotAvailabilityWriter.productValue(1L, hash, 1_764_064_800_000L)).isEqualTo(
        "{\"product_id\":1,\"available\":3,\"locations\":{\"STORE-1\":0,\"WH-EAST\":3},\"version\":300,"
            + "\"source_ts\":\"2025-11-25T10:00:00Z\"}");
  }

  @Test
  void locationsNamedLikeTheHashsOwnFieldsArePublishedUnderTheirOwnNames() {
    Map<String, String> hash = Map.of(AvailabilityHash.field("_total"), "2", "%5Ftotal@v", "10", AvailabilityHash.field("WH@v"),
        "5", "WH%40v@v", "20", "_total", "7", "_version", "20");
    assertThat(HotAvailabilityWriter.productValue(1L, hash, null)).isEqualTo(
        "{\"product_id\":1,\"available\":7,\"locations\":{\"WH@v\":5,\"_total\":2},\"version\":20,\"source_ts\":null}");
  }

  @Test
  void tooFewTaskSlotsForRealTimeModeIsRefusedWithTheSettingToChange() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HotAvailabilityJob.requireSlots(2, 3, "shop.inventory"))
        .hasMessageContaining("shoplake.spark.master").hasMessageContaining("(3)");
    HotAvailabilityJob.requireSlots(6, 3, "shop.inventory");
  }
}
