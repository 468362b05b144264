package io.shoplake.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Clickstream records as the simulator publishes them, as bronze rows. Each event reaches Kafka
 * one second after it happened and bronze at once, unless told otherwise; ids are random unless given.
 */
public final class Clicks {
  public static final String TOPIC = "clickstream";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode event = JSON.createObjectNode();
  private long arrivedAt;
  private Long ingestedAt;
  private String raw;

  private Clicks(String session, Long product, String type, long atMillis) {
    event.put("event_id", UUID.randomUUID().toString());
    event.put("session_id", session);
    event.putNull("customer_id");
    if (product == null) event.putNull("product_id"); else event.put("product_id", product);
    event.put("event_type", type);
    event.put("channel", "web");
    event.put("ts", TS.format(Instant.ofEpochMilli(atMillis)));
    event.putObject("attributes");
    arrivedAt = atMillis + 1000;
  }

  public static Clicks view(String session, long product, long atMillis) {
    return new Clicks(session, product, "view", atMillis);
  }

  public static Clicks cart(String session, long product, long atMillis) {
    return new Clicks(session, product, "add_to_cart", atMillis);
  }

  public static Clicks checkout(String session, long atMillis) {
    return new Clicks(session, null, "checkout", atMillis);
  }

  public static Clicks purchase(String session, long atMillis) {
    return new Clicks(session, null, "purchase", atMillis);
  }

  public static Clicks search(String session, long atMillis) {
    return new Clicks(session, null, "search", atMillis);
  }

  /** A record that is not a clickstream event at all. */
  public static Clicks raw(String value, long arrivedAtMillis) {
    Clicks c = new Clicks("raw", null, "view", arrivedAtMillis);
    c.raw = value;
    c.arrivedAt = arrivedAtMillis;
    return c;
  }

  public Clicks id(String eventId) {
    event.put("event_id", eventId);
    return this;
  }

  public Clicks customer(long customerId) {
    event.put("customer_id", customerId);
    return this;
  }

  public Clicks channel(String channel) {
    event.put("channel", channel);
    return this;
  }

  public Clicks attribute(String name, String value) {
    ((ObjectNode) event.get("attributes")).put(name, value);
    return this;
  }

  /** Sets a field to any JSON text, e.g. {@code "\"abc\""} or {@code "null"}. */
  public Clicks field(String name, String json) {
    try {
      event.set(name, JSON.readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(json, e);
    }
    return this;
  }

  public Clicks without(String name) {
    event.remove(name);
    return this;
  }

  /** When the record reached Kafka (its record timestamp). */
  public Clicks arrivedAt(long millis) {
    arrivedAt = millis;
    return this;
  }

  /** When bronze ingested it; by default when it reached Kafka. */
  public Clicks ingestedAt(long millis) {
    ingestedAt = millis;
    return this;
  }

  public String eventId() {
    return event.get("event_id").asText();
  }

  public String value() {
    return raw != null ? raw : event.toString();
  }

  /** Bronze rows (schema {@code BronzeRecords.SCHEMA}) at consecutive offsets of partition 0 from {@code firstOffset}. */
  public static List<Row> bronze(long firstOffset, List<Clicks> clicks) {
    List<Row> rows = new ArrayList<>();
    long offset = firstOffset;
    for (Clicks c : clicks) {
      String key = c.event.path("session_id").asText(null);
      rows.add(RowFactory.create(key, c.value(), TOPIC, 0, offset++, new Timestamp(c.arrivedAt),
          new Timestamp(c.ingestedAt != null ? c.ingestedAt : c.arrivedAt), 0L));
    }
    return rows;
  }
}
