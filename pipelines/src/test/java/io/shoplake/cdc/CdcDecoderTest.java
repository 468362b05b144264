package io.shoplake.cdc;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.quality.ErrorClass;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads only what it needs of each event (the before image for deletes alone, a
 * few typed fields of the source block): these pin what that must not change.
 */
class CdcDecoderTest {
  private static final String KEY = "{\"product_id\":1,\"location_id\":\"WH-EAST\"}";
  private final SparkSession spark = SharedSpark.get();
  private final CdcTableSpec spec = CdcTableSpec.from(ShoplakeConfig.load("local", Map.of()), "inventory");

  private Dataset<Row> decode(DebeziumEvents events) {
    return CdcDecoder.decode(events.toBronze(spark), spec);
  }

  @Test
  void deletesReadTheirBeforeImageInEitherJsonShape() {
    String inventorySchema = "{\"type\":\"int64\",\"field\":\"product_id\"},{\"type\":\"string\",\"field\":\"location_id\"},"
        + "{\"type\":\"int32\",\"field\":\"on_hand\"},{\"type\":\"int32\",\"field\":\"reserved\"}";
    String withSchemas = "{\"schema\":{\"fields\":[{\"field\":\"before\",\"fields\":[" + inventorySchema + "]},"
        + "{\"field\":\"after\",\"fields\":[" + inventorySchema + "]}]},"
        + "\"payload\":{\"before\":{\"product_id\":2,\"location_id\":\"WH-WEST\",\"on_hand\":6,\"reserved\":1},"
        + "\"after\":null,\"op\":\"d\",\"source\":{\"lsn\":320,\"txId\":32,\"ts_ms\":0}}}";
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .delete(inventory(1, "WH-EAST", 10, 2), 300)
        .raw("{\"product_id\":2,\"location_id\":\"WH-WEST\"}", withSchemas)
        .update(inventory(3, "WH-EAST", 5, 0), inventory(3, "WH-EAST", 4, 1), 330);

    assertRows(decode(events), List.of("product_id", "location_id", "on_hand", "reserved", "_op", "_lsn", "_tx_id", "error_class"),
        List.of(
            row(1L, "WH-EAST", 10, 2, "d", 300L, 30L, null),
            // Debezium follows a delete with a Kafka tombstone: its key only, never applied
            row(1L, "WH-EAST", null, null, null, null, null, CdcDecoder.KAFKA_TOMBSTONE),
            row(2L, "WH-WEST", 6, 1, "d", 320L, 32L, null),
            row(3L, "WH-EAST", 4, 1, "u", 330L, 33L, null)));
  }

  @Test
  void aSourceLsnThatIsNotANumberRefusesTheChangeAndTheRestOfTheEventIsStillRead() {
    String quotedLsn = "{\"before\":null,\"after\":{\"product_id\":1,\"location_id\":\"WH-EAST\",\"on_hand\":3,\"reserved\":0},"
        + "\"source\":{\"lsn\":\"0/16B3748\",\"txId\":41,\"ts_ms\":1764064800000,\"snapshot\":true},\"op\":\"c\"}";
    Dataset<Row> decoded = decode(new DebeziumEvents("shop.inventory").raw(KEY, quotedLsn));

    assertRows(decoded, List.of("product_id", "on_hand", "_lsn", "_tx_id", "_snapshot", "error_class", "error_message"),
        List.of(row(1L, 3, null, 41L, true, ErrorClass.MISSING_LSN, "source.lsn missing or not a number")));
  }

  @Test
  void fieldsSilverHasNoColumnForAreFoundAlsoWhenTheImageLacksAKnownColumn() {
    Map<String, Object> withoutUpdatedAt = inventory(1, "WH-EAST", 3, 0);
    withoutUpdatedAt.remove("updated_at");
    Map<String, Object> newFieldInsteadOfUpdatedAt = new LinkedHashMap<>(withoutUpdatedAt);
    newFieldInsteadOfUpdatedAt.put("bin", "A-7");
    Map<String, Object> newFieldBesideAll = inventory(3, "WH-EAST", 3, 0);
    newFieldBesideAll.put("bin", "B-1");
    DebeziumEvents events = new DebeziumEvents("shop.inventory")
        .create(withoutUpdatedAt, 10)
        .create(newFieldInsteadOfUpdatedAt, 20)
        .create(newFieldBesideAll, 30);

    assertRows(decode(events), List.of("_lsn", "to_json(" + CdcDecoder.NEW_COLUMNS + ")", "error_class"), List.of(
        row(10L, "[]", null),
        row(20L, "[{\"name\":\"bin\",\"type\":\"string\"}]", null),
        row(30L, "[{\"name\":\"bin\",\"type\":\"string\"}]", null)));
  }
}
