package io.shoplake.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import io.shoplake.ingest.BronzeRecords;

/**
 * Builds bronze rows holding Debezium change events, as the connector writes them
 * (schemaless JSON, decimals as strings), so a test states its scenario in a few lines.
 */
public final class DebeziumEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String topic;
  private final List<String> keyColumns;
  private final List<Row> rows = new ArrayList<>();
  private long nextOffset;
  /**
   * One source timeline for every builder of the test JVM: a change's commit time follows from its
   * LSN, so a change re-sent by another builder carries the time it first had, as Debezium's do.
   */
  private static final long TIMELINE_MILLIS = java.time.Instant.now().minusSeconds(3600).toEpochMilli() / 1000 * 1000;
  private long commitBaseMillis = TIMELINE_MILLIS;

  /** Events of the inventory table, keyed by product and location. */
  public DebeziumEvents(String topic) {
    this(topic, "product_id", "location_id");
  }

  public DebeziumEvents(String topic, String... keyColumns) {
    this.topic = topic;
    this.keyColumns = List.of(keyColumns);
  }

  /** An inventory row image. */
  public static Map<String, Object> inventory(long productId, String location, Object onHand, Object reserved) {
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("product_id", productId);
    image.put("location_id", location);
    image.put("on_hand", onHand);
    image.put("reserved", reserved);
    image.put("updated_at", "2026-11-25T10:00:00.000000Z");
    return image;
  }

  /** An order_items row image of product 7 at WH-EAST. */
  public static Map<String, Object> orderItem(long orderId, int lineNo, int quantity, String unitPrice) {
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("order_id", orderId);
    image.put("line_no", lineNo);
    image.put("product_id", 7L);
    image.put("location_id", "WH-EAST");
    image.put("quantity", quantity);
    image.put("unit_price", unitPrice);
    return image;
  }

  /** Changes commit at this instant plus their LSN in milliseconds (default: an hour ago). */
  public DebeziumEvents committedFrom(java.time.Instant base) {
    this.commitBaseMillis = base.toEpochMilli();
    return this;
  }

  /** When the change with this LSN committed at the source. */
  public Timestamp commitTime(long lsn) {
    return new Timestamp(commitBaseMillis + lsn);
  }

  public DebeziumEvents create(Map<String, Object> after, long lsn) {
    return event("c", null, after, lsn);
  }

  public DebeziumEvents snapshot(Map<String, Object> after, long lsn) {
    return event("r", null, after, lsn);
  }

  public DebeziumEvents update(Map<String, Object> before, Map<String, Object> after, long lsn) {
    return event("u", before, after, lsn);
  }

  public DebeziumEvents delete(Map<String, Object> before, long lsn) {
    event("d", before, null, lsn);
    return raw(keyOf(before), null);
  }

  /** Any value, e.g. malformed JSON. */
  public DebeziumEvents raw(String key, String value) {
    rows.add(RowFactory.create(key, value, topic, 0, nextOffset++,
        new Timestamp(1_764_064_800_000L), new Timestamp(System.currentTimeMillis()), 0L));
    return this;
  }

  private DebeziumEvents event(String op, Map<String, Object> before, Map<String, Object> after, long lsn) {
    Map<String, Object> image = after != null ? after : before;
    String value = "{\"before\":" + json(before) + ",\"after\":" + json(after)
        + ",\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"ts_ms\":" + (commitBaseMillis + lsn)
        + ",\"snapshot\":\"" + (op.equals("r") ? "true" : "false") + "\",\"db\":\"shop\",\"schema\":\"public\","
        + "\"txId\":" + (lsn / 10) + ",\"lsn\":" + lsn + "},\"op\":\"" + op + "\",\"ts_ms\":" + (commitBaseMillis + 100 + lsn) + "}";
    return raw(keyOf(image), value);
  }

  private String keyOf(Map<String, Object> image) {
    Map<String, Object> key = new LinkedHashMap<>();
    keyColumns.forEach(k -> key.put(k, image.get(k)));
    return json(key);
  }

  public static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public Dataset<Row> toBronze(SparkSession spark) {
    return spark.createDataFrame(rows, BronzeRecords.SCHEMA);
  }
}
