package io.shoplake.checks;

import io.shoplake.core.CdcColumns;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Erasure;
import io.shoplake.quality.ErasedCustomer;
import io.shoplake.quality.Erasures;
import java.util.HashSet;
import org.apache.spark.sql.Encoders;
import io.shoplake.core.Tables;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A silver table's current state against its source table in PostgreSQL, row by row, with
 * personal columns compared through the same pseudonymisation. Values are normalised so that
 * equal decimals and instants compare equal whatever their scale or type.
 */
public final class SilverComparison {
  private SilverComparison() {}

  /**
   * Keys (rendered as text) whose row differs, is missing, or is extra. A customer an erasure
   * removed ({@code quality.erasures}) is compared as the erasure left them: their own rows absent,
   * rows naming them with the customer cleared, whatever the shop still holds.
   */
  public static Set<String> differences(SparkSession spark, Tables tables, CdcTableSpec spec, PostgresSettings pg,
      Pseudonymizer pseudonymizer) throws SQLException {
    Set<String> erased = spec.erasure().isEmpty() ? Set.of()
        : new HashSet<>(Erasures.customerRefs(TableAccess.of(spark, tables)).as(Encoders.STRING()).collectAsList());
    if (!erased.isEmpty() && pseudonymizer == null) {
      throw new IllegalStateException(spec.silverTable() + " is compared with customers erased: that needs shoplake.pii.key");
    }
    Map<String, List<String>> shop = postgres(spec, pg, pseudonymizer);
    Map<String, List<String>> source = erased.isEmpty() ? shop : asErased(spec, shop, erased, pseudonymizer);
    Map<String, List<String>> silver = silver(spark, tables, spec);
    Set<String> diff = new TreeSet<>();
    source.forEach((k, v) -> {
      if (!v.equals(silver.get(k))) diff.add(k);
    });
    silver.keySet().stream().filter(k -> !source.containsKey(k)).forEach(diff::add);
    return diff;
  }

  static Map<String, List<String>> postgres(CdcTableSpec spec, PostgresSettings pg, Pseudonymizer pseudonymizer)
      throws SQLException {
    String columns = spec.columns().stream().map(CdcTableSpec.Column::name).collect(Collectors.joining(", "));
    Map<String, List<String>> rows = new TreeMap<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + spec.table())) {
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < spec.columns().size(); i++) {
          Object value = rs.getObject(i + 1);
          if (spec.pseudonymised().contains(spec.columns().get(i).name())) {
            // A gained column of a personal table may be of any type at the source: silver keeps its text's pseudonym.
            value = pseudonymizer.pseudonym(value == null ? null : value.toString());
          }
          values.add(normalise(value));
        }
        rows.put(key(spec, values), values);
      }
    }
    return rows;
  }

  private static Map<String, List<String>> asErased(CdcTableSpec spec, Map<String, List<String>> source,
      Set<String> erased, Pseudonymizer keyed) {
    Erasure how = spec.erasure().orElseThrow();
    int column = spec.columns().stream().map(CdcTableSpec.Column::name).toList().indexOf(how.column());
    Map<String, List<String>> rows = new TreeMap<>();
    source.forEach((key, values) -> {
      String id = values.get(column);
      if (id == null || !erased.contains(ErasedCustomer.ref(Long.parseLong(id), keyed::pseudonym))) {
        rows.put(key, values);
      } else if (how.action() == Erasure.Action.CLEAR_COLUMN) {
        List<String> cleared = new ArrayList<>(values);
        cleared.set(column, null);
        rows.put(key, cleared);
      }
    });
    return rows;
  }

  static Map<String, List<String>> silver(SparkSession spark, Tables tables, CdcTableSpec spec) {
    Map<String, List<String>> rows = new TreeMap<>();
    String[] columns = spec.columns().stream().map(CdcTableSpec.Column::name).toArray(String[]::new);
    for (Row r : TableAccess.of(spark, tables).read(spec.silverTable())
        .filter("NOT " + CdcColumns.IS_DELETED).selectExpr(columns).collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) values.add(normalise(r.get(i)));
      rows.put(key(spec, values), values);
    }
    return rows;
  }

  private static String key(CdcTableSpec spec, List<String> values) {
    List<String> key = new ArrayList<>();
    for (int i = 0; i < spec.columns().size(); i++) {
      if (spec.keys().contains(spec.columns().get(i).name())) key.add(values.get(i));
    }
    return String.join("/", key);
  }

  static String normalise(Object value) {
    if (value == null) return null;
    if (value instanceof BigDecimal d) return d.stripTrailingZeros().toPlainString();
    if (value instanceof Timestamp t) return t.toInstant().toString();
    if (value instanceof java.time.OffsetDateTime t) return t.toInstant().toString();
    if (value instanceof Number n) return Long.toString(n.longValue());
    return value.toString();
  }
}
