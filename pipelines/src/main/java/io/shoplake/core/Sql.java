package io.shoplake.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Names inside Spark SQL text, always quoted: silver's columns come from the source database, whose
 * names may be reserved words or hold backticks, and a table path may hold anything a directory can.
 */
public final class Sql {
  private Sql() {}

  /** {@code name} as one identifier, backticks inside it doubled. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** {@code value} as a SQL string literal, backslashes and quotes escaped. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code alias.name}, the name quoted. */
  public static String column(String alias, String name) {
    return alias + "." + quote(name);
  }

  /** A column of a Dataset by its exact name: {@code functions.col} would read dots and backticks in it as syntax. */
  public static Column named(String name) {
    return functions.col(quote(name));
  }

  /** A Delta table by its path, as SQL statements name it. */
  public static String deltaTable(String path) {
    return "delta." + quote(path);
  }

  /** {@code t.k = s.k AND ...} over {@code keys}: a MERGE condition on the target's and source's keys. */
  public static String keysEqual(Collection<String> keys) {
    return keys.stream().map(k -> column("t", k) + " = " + column("s", k)).collect(Collectors.joining(" AND "));
  }

  /** Every column set from the MERGE source of the same name: {@code name -> s.name}. */
  public static Map<String, String> fromSource(String... columns) {
    Map<String, String> set = new LinkedHashMap<>();
    for (String c : columns) set.put(quote(c), column("s", c));
    return set;
  }
}
