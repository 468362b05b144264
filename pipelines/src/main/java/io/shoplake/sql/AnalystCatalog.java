package io.shoplake.sql;

import io.shoplake.core.Sql;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What the analysts' endpoint serves. Raw personal data lives only in restricted tables: bronze
 * (every record as Kafka held it) and the quarantine (the rejected records' bytes, and messages
 * that quote their values). Analysts get every other table by name, and the quarantine through a
 * view of where, when and why records were rejected, without the records themselves.
 */
public final class AnalystCatalog {
  /**
   * The analysts' quarantine columns, in the table's order: those that can hold a record's content
   * ({@code key}, {@code error_message}) are shown for disclosable sources only; {@code raw_value}
   * and {@code raw_key} never. A column the quarantine gains stays hidden until listed here.
   */
  private static final List<String> COLUMNS = List.of("stage", "source_table", "topic", "partition", "offset", "key",
      "error_class", "error_message", "batch_id", "quarantined_at", "kafka_timestamp");
  private static final List<String> CONTENT = List.of("key", "error_message");

  private final List<TableId> disclosableSources;

  /**
   * @param disclosableSources the tables whose rejected records hold nothing personal (silver
   *     tables of shop tables with no personal column): their rows show the key and the message.
   */
  public AnalystCatalog(Collection<TableId> disclosableSources) {
    this.disclosableSources = List.copyOf(disclosableSources);
  }

  /** Tables served to analysts only through {@link #quarantineView}, or not at all. */
  public static boolean isRestricted(TableId table) {
    return table.layer().equals("bronze") || table.equals(Tables.QUARANTINE);
  }

  public static List<TableDefinition> servedByName(Collection<TableDefinition> tables) {
    return tables.stream().filter(def -> !isRestricted(def.id())).toList();
  }

  /**
   * Registers what analysts read of {@code present} (tables that exist) in the server's catalog: the
   * unrestricted ones by name, the quarantine as its view. Returns what the read rule admits.
   */
  RestrictedDataExtension.Scope register(SparkSession spark, Tables tables, List<TableDefinition> present) {
    List<TableDefinition> byName = servedByName(present);
    Map<String, List<String>> redactions = new HashMap<>();
    ReadOnlyExtension.bypass(() -> {
      TableBootstrap.register(spark, tables, byName);
      if (present.stream().anyMatch(d -> d.id().equals(Tables.QUARANTINE))) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + Tables.QUARANTINE.layer());
        spark.sql(quarantineView(Tables.QUARANTINE, tables.path(Tables.QUARANTINE)));
        redactions.put(qualified(spark, tables.path(Tables.QUARANTINE)), RestrictedDataExtension.redactionIn(
            spark.table(Tables.QUARANTINE.toString()).queryExecution().analyzed()));
      }
    });
    return new RestrictedDataExtension.Scope(byName.stream().map(d -> qualified(spark, tables.path(d.id()))).toList(),
        redactions);
  }

  /** A location as Spark's file index names the files under it (scheme and authority spelt out). */
  private static String qualified(SparkSession spark, String location) {
    Path path = new Path(location);
    try {
      return path.getFileSystem(spark.sessionState().newHadoopConf()).makeQualified(path).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + location, e);
    }
  }

  /** The analysts' quarantine: the statement creating {@code view} over the table at {@code location}. */
  public String quarantineView(TableId view, String location) {
    String disclosable = disclosableSources.isEmpty() ? "false"
        : "source_table IN (" + disclosableSources.stream().map(t -> Sql.literal(t.toString()))
            .collect(Collectors.joining(", ")) + ")";
    String columns = COLUMNS.stream()
        .map(c -> CONTENT.contains(c) ? "CASE WHEN " + disclosable + " THEN " + Sql.quote(c) + " END AS " + Sql.quote(c)
            : Sql.quote(c))
        .collect(Collectors.joining(", "));
    return "CREATE VIEW " + view + " AS SELECT " + columns + " FROM " + Sql.deltaTable(location);
  }
}
