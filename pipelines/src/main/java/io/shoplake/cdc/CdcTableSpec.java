package io.shoplake.cdc;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Erasure;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableId;
import io.shoplake.quality.Expectations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How one shop table is applied to silver, from {@code shoplake.cdc.tables.<name>}: its key
 * columns, its typed columns, the personal ones to pseudonymise, its data expectations, how
 * long delete tombstones are kept, and the columns whose history is kept (SCD type 2; empty
 * for none). Adding a table is a config entry, not a class.
 */
public record CdcTableSpec(String table, List<String> keys, List<Column> columns, List<String> pseudonymised,
    Expectations expectations, Duration tombstoneHorizon, List<String> historyTracked) {

  public record Column(String name, DataType type) {}

  public static CdcTableSpec from(ShoplakeConfig config, String table) {
    String base = "shoplake.cdc.tables." + table;
    List<Column> columns = new ArrayList<>();
    for (String decl : config.strings(base + ".columns")) {
      String[] parts = decl.trim().split("\\s+", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException(base + ".columns: expected '<name> <type>', got '" + decl + "'");
      }
      columns.add(new Column(parts[0], DataType.fromDDL(parts[1])));
    }
    List<String> keys = config.strings(base + ".keys");
    for (String key : keys) {
      if (columns.stream().noneMatch(c -> c.name().equals(key))) {
        throw new IllegalArgumentException(base + ".keys: '" + key + "' is not among its columns");
      }
    }
    List<String> pseudonymised = config.has(base + ".pseudonymise") ? config.strings(base + ".pseudonymise") : List.of();
    for (String column : pseudonymised) {
      if (columns.stream().noneMatch(c -> c.name().equals(column) && c.type().equals(DataTypes.StringType))) {
        throw new IllegalArgumentException(base + ".pseudonymise: '" + column + "' is not a string column");
      }
      if (keys.contains(column)) throw new IllegalArgumentException(base + ".pseudonymise: key column '" + column + "'");
    }
    Duration horizon = config.has(base + ".tombstone-horizon")
        ? config.raw().getDuration(base + ".tombstone-horizon") : config.raw().getDuration("shoplake.cdc.tombstone-horizon");
    List<String> tracked = config.has(base + ".history.track") ? config.strings(base + ".history.track") : List.of();
    for (String column : tracked) {
      if (columns.stream().noneMatch(c -> c.name().equals(column))) {
        throw new IllegalArgumentException(base + ".history.track: '" + column + "' is not among its columns");
      }
    }
    String expectations = base + ".expectations";
    return new CdcTableSpec(table, keys, columns, pseudonymised,
        config.has(expectations) ? Expectations.parse(expectations, config.raw().getConfigList(expectations)) : Expectations.NONE,
        horizon, tracked);
  }

  /**
   * This spec with columns silver gained from the source since (schema evolution) appended. In a
   * personal table, a gained text column is pseudonymised: nobody has said it holds nothing
   * personal until it is declared in {@code columns} (and left out of {@code pseudonymise}).
   */
  public CdcTableSpec withColumns(List<Column> added) {
    List<Column> all = new ArrayList<>(columns);
    all.addAll(added);
    List<String> personal = new ArrayList<>(pseudonymised);
    if (isPersonal()) {
      added.stream().filter(c -> c.type().equals(DataTypes.StringType)).forEach(c -> personal.add(c.name()));
    }
    return new CdcTableSpec(table, keys, all, personal, expectations, tombstoneHorizon, historyTracked);
  }

  /**
   * The silver type of a column the source gained: its own, but text in a personal table, whose
   * gained columns are pseudonymised ({@link #withColumns}).
   */
  public DataType gainedType(DataType sourceType) {
    return isPersonal() ? DataTypes.StringType : sourceType;
  }

  /** Whether the table holds personal data: it has columns to pseudonymise. */
  public boolean isPersonal() {
    return !pseudonymised.isEmpty();
  }

  /**
   * A table keyed by the customer holds the customer's own rows; one that only has a customer
   * column names them in rows that are someone else's too (an order), and keeps those rows.
   */
  public Optional<Erasure> erasure() {
    if (keys.equals(List.of(Erasure.CUSTOMER))) return Optional.of(Erasure.deleteRows());
    return columns.stream().anyMatch(c -> c.name().equals(Erasure.CUSTOMER))
        ? Optional.of(Erasure.clearColumn()) : Optional.empty();
  }

  public boolean keepsHistory() {
    return !historyTracked.isEmpty();
  }

  public TableId historyTable() {
    return new TableId("silver", table + "_history");
  }

  public TableId silverTable() {
    return new TableId("silver", table);
  }

  /** Silver columns: the source columns, then the apply bookkeeping. */
  public StructType silverSchema() {
    StructType schema = new StructType();
    for (Column c : columns) schema = schema.add(c.name(), c.type(), !keys.contains(c.name()));
    return schema
        .add(CdcColumns.IS_DELETED, DataTypes.BooleanType, false)
        .add(CdcColumns.LSN, DataTypes.LongType, false)
        .add(CdcColumns.SOURCE_TS, DataTypes.TimestampType, true)
        .add(CdcColumns.APPLIED_AT, DataTypes.TimestampType, false);
  }
}
