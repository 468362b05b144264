package io.shoplake.clickstream;

import static io.shoplake.quality.ErrorClass.EVENT_ID_CONFLICT;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;

/**
 * The stream's dedupe: the first copy of each event id goes on; a later copy with the same content
 * is a resend and is dropped; a later copy with other content is a conflict, marked {@code
 * EVENT_ID_CONFLICT} for the quarantine with where the first copy was, not counted a duplicate.
 * Each id's first content and coordinates are kept in the checkpoint's state for {@code
 * dedupe-watermark} after the first copy reached bronze (the watermark runs on bronze's arrival
 * time, which only grows from one bronze commit to the next, so it never drops a record).
 * A rejected record's key is its Kafka coordinates, so only a redelivery of it repeats it.
 */
final class FirstSeenEvents implements FlatMapGroupsWithStateFunction<String, Row, String, Row> {
  private static final Comparator<Row> ARRIVAL = Comparator.<Row, Timestamp>comparing(r -> r.getAs("_ingested_at"))
      .thenComparing(r -> r.<Integer>getAs("_partition")).thenComparing(r -> r.<Long>getAs("_offset"));
  private final long rememberMillis;
  private final int errorClass;
  private final int errorMessage;

  private FirstSeenEvents(long rememberMillis, StructType schema) {
    this.rememberMillis = rememberMillis;
    this.errorClass = schema.fieldIndex("error_class");
    this.errorMessage = schema.fieldIndex("error_message");
  }

  /** {@code decoded} ({@link ClickEvents#decode}) with each event id's first copy, and its conflicts marked. */
  static Dataset<Row> of(Dataset<Row> decoded, long rememberMillis) {
    Dataset<Row> withContent = decoded.withColumn("_content", content())
        .withWatermark("_ingested_at", rememberMillis + " milliseconds");
    StructType schema = withContent.schema();
    return withContent
        .groupByKey((MapFunction<Row, String>) r -> r.getAs("_dedupe_key"), Encoders.STRING())
        .flatMapGroupsWithState(new FirstSeenEvents(rememberMillis, schema), OutputMode.Append(), Encoders.STRING(),
            Encoders.row(schema), GroupStateTimeout.EventTimeTimeout())
        .drop("_content");
  }

  /** What makes two copies of an event the same event: every field silver keeps of it. */
  static Column content() {
    return xxhash64(to_json(struct(col("event_id"), col("client_session_id"), col("customer_id"), col("product_id"),
        col("event_type"), col("channel"), col("event_ts"), sort_array(map_entries(col("attributes"))).as("attributes"))));
  }

  @Override
  public Iterator<Row> call(String key, Iterator<Row> rows, GroupState<String> state) {
    if (state.hasTimedOut()) {
      state.remove();
      return Collections.emptyIterator();
    }
    List<Row> arrived = new ArrayList<>();
    rows.forEachRemaining(arrived::add);
    arrived.sort(ARRIVAL);
    List<Row> out = new ArrayList<>();
    FirstCopy first = state.exists() ? FirstCopy.parse(state.get()) : null;
    // Past its time but not yet evicted (Spark times groups out after those with data): forgotten.
    if (first != null && first.ingestedMillis() + rememberMillis <= state.getCurrentWatermarkMs()) first = null;
    for (Row r : arrived) {
      // A rejected record's key is its coordinates: a later copy is Kafka delivering it again.
      String content = r.isNullAt(errorClass) ? Long.toString(r.<Long>getAs("_content")) : "rejected";
      if (first == null) {
        first = new FirstCopy(content, r.<Timestamp>getAs("_ingested_at").getTime(),
            r.getAs("_topic") + "/" + r.getAs("_partition") + "/" + r.getAs("_offset"));
        state.update(first.toString());
        out.add(r);
      } else if (!first.content().equals(content)) {
        out.add(conflict(r, key, first.at()));
      }
    }
    // Spark clears the timeout at every call: it is set again, from the first copy's arrival.
    state.setTimeoutTimestamp(first.ingestedMillis() + rememberMillis);
    return out.iterator();
  }

  /** What the state keeps of an id's first copy. */
  private record FirstCopy(String content, long ingestedMillis, String at) {
    static FirstCopy parse(String state) {
      String[] parts = state.split(" ", 3);
      return new FirstCopy(parts[0], Long.parseLong(parts[1]), parts[2]);
    }

    @Override
    public String toString() {
      return content + " " + ingestedMillis + " " + at;
    }
  }

  private Row conflict(Row r, String eventId, String firstAt) {
    Object[] values = new Object[r.length()];
    for (int i = 0; i < values.length; i++) values[i] = r.get(i);
    values[errorClass] = EVENT_ID_CONFLICT;
    values[errorMessage] = "event id " + eventId + " was first seen at " + firstAt + " with other content";
    return RowFactory.create(values);
  }
}
