package io.shoplake.status;

import io.shoplake.core.KafkaConnection;import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.ingest.KafkaLag;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Row;

/**
 * What a query has not read yet, from the offsets its last batch read to: per Kafka partition,
 * the records past them and when the oldest of those arrived; per Delta table, the data commits
 * past them (maintenance commits such as OPTIMIZE or VACUUM carry no new rows and do not count)
 * and when the oldest was made. "Waiting since" is what freshness alerts care about: a job idle
 * with nothing to read is fine however long ago its last batch was.
 */
public final class SourceLag implements AutoCloseable {
  /** Commits that change no rows: a stream reads nothing from them. */
  private static final Set<String> NO_NEW_ROWS = Set.of("OPTIMIZE", "VACUUM START", "VACUUM END", "SET TBLPROPERTIES",
      "UNSET TBLPROPERTIES", "ADD COLUMNS", "CHANGE COLUMN", "CREATE TABLE", "REPLACE TABLE", "ADD CONSTRAINT",
      "DROP CONSTRAINT", "FSCK", "REORG", "CREATE OR REPLACE TABLE", "UPGRADE PROTOCOL", "SET TABLE PROPERTIES");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HISTORY = 1000;

  /**
   * @param unread records or data commits not read yet; -1 when the source could not be asked
   * @param waitingSince when the oldest of them arrived; empty when nothing waits
   */
  public record Lag(String source, String unit, long unread, Optional<Instant> waitingSince) {
    public static Lag unknown(String source, String unit) {
      return new Lag(source, unit, -1, Optional.empty());
    }
  }

  private final TableAccess tables;
  private final List<TableId> candidates;
  private final KafkaLag kafka;
  private final Map<String, TableId> byReservoirId = new HashMap<>();

  /** {@code candidates}: the Delta tables a source offset may refer to (by table id); {@code kafka} may be null. */
  public SourceLag(TableAccess tables, List<TableId> candidates, KafkaConnection kafka) {
    this.tables = tables;
    this.candidates = List.copyOf(candidates);
    this.kafka = kafka == null ? null : KafkaLag.connect(kafka);
  }

  /** The lag of each source of a query whose last batch read to {@code offsets}. */
  public List<Lag> of(List<String> offsets) throws IOException {
    List<Lag> lags = new ArrayList<>();
    for (String offset : offsets) {
      Optional<DeltaSourceOffset> delta = DeltaSourceOffset.parse(offset);
      if (delta.isPresent()) {
        lags.add(delta(delta.get()));
        continue;
      }
      JsonNode node = JSON.readTree(offset);
      if (node.isObject()) lags.addAll(kafka(node));
    }
    return lags;
  }

  private Lag delta(DeltaSourceOffset offset) {
    TableId table = table(offset.reservoirId());
    if (table == null) return Lag.unknown("delta table " + offset.reservoirId(), "commits");
    long readThrough = offset.readThrough();
    long latest = tables.history(table, 1).select("version").first().getLong(0);
    if (latest <= readThrough) return new Lag(table.toString(), "commits", 0, Optional.empty());
    // Each commit read is a file read: past the newest HISTORY of them, "at least" is enough.
    List<Row> newer = tables.history(table, (int) Math.min(HISTORY, latest - readThrough))
        .filter("version > " + readThrough).select("version", "timestamp", "operation").collectAsList();
    long unread = 0;
    Instant oldest = null;
    for (Row commit : newer) {
      if (NO_NEW_ROWS.contains(commit.getString(2))) continue;
      unread++;
      Instant at = commit.getTimestamp(1).toInstant();
      if (oldest == null || at.isBefore(oldest)) oldest = at;
    }
    return new Lag(table.toString(), "commits", unread, Optional.ofNullable(oldest));
  }

  private TableId table(String reservoirId) {
    if (byReservoirId.isEmpty()) {
      for (TableId candidate : candidates) {
        if (!tables.exists(candidate)) continue;
        byReservoirId.put(tables.deltaId(candidate), candidate);
      }
    }
    return byReservoirId.get(reservoirId);
  }

  private List<Lag> kafka(JsonNode offsets) {
    Map<TopicPartition, Long> readTo = new HashMap<>();
    offsets.fields().forEachRemaining(topic -> topic.getValue().fields().forEachRemaining(partition ->
        readTo.put(new TopicPartition(topic.getKey(), Integer.parseInt(partition.getKey())), partition.getValue().asLong())));
    Set<String> topics = new TreeSet<>();
    readTo.keySet().forEach(p -> topics.add(p.topic()));
    Map<TopicPartition, Long> ends = kafka == null ? Map.of() : kafka.ends(readTo.keySet());
    if (ends.isEmpty()) return topics.stream().map(topic -> Lag.unknown(topic, "records")).toList();
    Map<String, Long> unreadByTopic = new TreeMap<>();
    readTo.forEach((partition, offset) ->
        unreadByTopic.merge(partition.topic(), Math.max(0, ends.getOrDefault(partition, offset) - offset), Long::sum));
    Map<String, Instant> oldestByTopic = new HashMap<>();
    kafka.arrivals(readTo).forEach((partition, at) -> oldestByTopic.merge(partition.topic(), at,
        (a, b) -> a.isBefore(b) ? a : b));
    List<Lag> lags = new ArrayList<>();
    unreadByTopic.forEach((topic, unread) ->
        lags.add(new Lag(topic, "records", unread, Optional.ofNullable(oldestByTopic.get(topic)))));
    return lags;
  }

  @Override
  public void close() {
    if (kafka != null) kafka.close();
  }
}
