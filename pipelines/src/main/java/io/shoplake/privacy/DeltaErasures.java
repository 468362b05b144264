package io.shoplake.privacy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import io.shoplake.core.Erasure;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.quality.ErasedCustomer;
import io.shoplake.quality.Erasures;
import io.shoplake.quality.Erasures.RecordChange;
import io.shoplake.quality.Erasures.TableChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * One customer's rows in the Delta tables: bronze (records whose key names the customer are
 * deleted, others that name them have the customer cleared from their value), the quarantine
 * (the same, over key, raw bytes and message) and every table that declares an {@link Erasure}.
 *
 * <p>Every change is a MERGE whose source holds what to change: the commit's recorded
 * predicate then joins columns and quotes no id, where a DELETE's would keep the id in the log.
 */
final class DeltaErasures {
  private static final String COORDINATES = "t.topic = s.topic AND t.partition = s.partition AND t.offset = s.offset";
  private static final List<String> QUARANTINE_ROW = List.of("stage", "topic", "partition", "offset", "error_class",
      "batch_id");

  private static final int MERGE_ATTEMPTS = 5;

  private final TableAccess access;
  private final Tables tables;
  private final ErasedCustomer customer;
  private final RawMentions mentions;

  DeltaErasures(TableAccess access, Tables tables, ErasedCustomer customer, RawMentions mentions) {
    this.access = access;
    this.tables = tables;
    this.customer = customer;
    this.mentions = mentions;
  }

  /** Bronze of every source topic; the records changed are added to {@code records}. */
  List<TableChange> bronze(List<RecordChange> records) {
    List<TableChange> changes = new ArrayList<>();
    for (TableId table : tables.bronzeTables()) {
      if (!access.exists(table)) continue;
      Dataset<Row> hits = access.read(table).filter(mentions.in(col("key")).or(mentions.in(col("value"))))
          .select(col("topic"), col("partition"), col("offset"), coalesce(mentions.in(col("key")), lit(false)).as("_owned"),
              mentions.cleared(col("value")).as("_value"))
          .dropDuplicates("topic", "partition", "offset").localCheckpoint();
      List<Row> found = hits.select("topic", "partition", "offset", "_owned").collectAsList();
      if (found.isEmpty()) continue;
      retrying(() -> access.forChange(table).as("t").merge(hits.as("s"), COORDINATES)
          .whenMatched("s._owned").delete()
          .whenMatched().updateExpr(Map.of("value", "s._value"))
          .execute());
      long deleted = 0;
      for (Row r : found) {
        boolean owned = r.getBoolean(3);
        if (owned) deleted++;
        records.add(new RecordChange(null, r.getString(0), r.getInt(1), r.getLong(2),
            owned ? Erasures.DELETED : Erasures.CLEARED));
      }
      add(changes, table, Erasures.DELETED, deleted);
      add(changes, table, Erasures.CLEARED, found.size() - deleted);
    }
    return changes;
  }

  /**
   * Quarantine rows naming the customer: those whose key does are deleted (the record was the
   * customer's), the others keep their place with the customer cleared from the raw bytes, key
   * and message. Each row changed is added to {@code records}, with its stage.
   */
  List<TableChange> quarantine(List<RecordChange> records) {
    if (!access.exists(Tables.QUARANTINE)) return List.of();
    Column rawKey = col("raw_key").cast("string");
    Column rawValue = col("raw_value").cast("string");
    Column owned = coalesce(mentions.in(col("key")), lit(false)).or(coalesce(mentions.in(rawKey), lit(false)));
    Dataset<Row> hits = access.read(Tables.QUARANTINE)
        .filter(mentions.in(col("key")).or(mentions.in(rawKey)).or(mentions.in(rawValue))
            .or(mentions.in(col("error_message"))))
        .select(col("stage"), col("topic"), col("partition"), col("offset"), col("error_class"), col("batch_id"),
            owned.as("_owned"),
            // Raw bytes that do not name the customer stay as they were, UTF-8 or not.
            when(mentions.in(rawValue), mentions.cleared(rawValue).cast("binary")).otherwise(col("raw_value")).as("_raw_value"),
            mentions.cleared(col("key")).as("_key"), mentions.cleared(col("error_message")).as("_error_message"))
        .dropDuplicates(QUARANTINE_ROW.toArray(String[]::new)).localCheckpoint();
    List<Row> found = hits.select("stage", "topic", "partition", "offset", "_owned").collectAsList();
    if (found.isEmpty()) return List.of();
    String sameRow = String.join(" AND ", QUARANTINE_ROW.stream().map(c -> "t.`" + c + "` <=> s.`" + c + "`").toList());
    retrying(() -> access.forChange(Tables.QUARANTINE).as("t").merge(hits.as("s"), sameRow)
        .whenMatched("s._owned").delete()
        .whenMatched().updateExpr(Map.of("raw_value", "s._raw_value",
            "key", "s._key", "error_message", "s._error_message"))
        .execute());
    long deleted = 0;
    for (Row r : found) {
      boolean isOwned = r.getBoolean(4);
      if (isOwned) deleted++;
      if (!r.isNullAt(1) && !r.isNullAt(2) && !r.isNullAt(3)) {
        records.add(new RecordChange(r.getString(0), r.getString(1), r.getInt(2), r.getLong(3),
            isOwned ? Erasures.DELETED : Erasures.CLEARED));
      }
    }
    List<TableChange> changes = new ArrayList<>();
    add(changes, Tables.QUARANTINE, Erasures.DELETED, deleted);
    add(changes, Tables.QUARANTINE, Erasures.CLEARED, found.size() - deleted);
    return changes;
  }

  /** A table that declares how an erasure treats it. */
  List<TableChange> declared(TableDefinition def) {
    Erasure how = def.erasure().orElseThrow();
    if (!access.exists(def.id())) return List.of();
    String column = "t.`" + how.column() + "`";
    long rows = access.read(def.id()).filter(col(how.column()).equalTo(customer.id())).count();
    if (rows == 0) return List.of();
    Dataset<Row> subject = access.spark().range(1).select(lit(customer.id()).as("_erased"));
    // A kept row may carry its source's raw JSON too (an order event's payload): cleared alike.
    Map<String, Column> set = new HashMap<>();
    set.put(how.column(), lit(null));
    for (StructField f : def.schema().fields()) {
      if (f.dataType().equals(DataTypes.StringType)) set.put(f.name(), mentions.cleared(col("t.`" + f.name() + "`")));
    }
    retrying(() -> {
      var merge = access.forChange(def.id()).as("t").merge(subject.as("s"), column + " = s._erased");
      if (how.action() == Erasure.Action.DELETE_ROWS) merge.whenMatched().delete().execute();
      else merge.whenMatched().update(set).execute();
    });
    return List.of(new TableChange(def.id().toString(),
        how.action() == Erasure.Action.DELETE_ROWS ? Erasures.DELETED : Erasures.CLEARED, rows));
  }

  /**
   * A job committing to the same table meanwhile (a silver apply, a quarantine append that read
   * it) makes Delta refuse the MERGE; it is run again on the new version, which still finds the
   * customer's rows.
   */
  private static void retrying(Runnable merge) {
    for (int attempt = 1; ; attempt++) {
      try {
        merge.run();
        return;
      } catch (DeltaConcurrentModificationException e) {
        if (attempt == MERGE_ATTEMPTS) throw e;
      }
    }
  }

  private static void add(List<TableChange> changes, TableId table, String action, long rows) {
    if (rows > 0) changes.add(new TableChange(table.toString(), action, rows));
  }
}
