package io.shoplake.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data expectations of one table, from {@code <table>.expectations} in config: a name, a Spark
 * SQL condition every row should meet, and what to do with a row that does not — {@code warn}
 * (count it, keep it), {@code drop} (quarantine it with the rule as reason) or {@code fail}
 * (stop the job: the data needs a person). A condition that evaluates to null fails.
 */
public record Expectations(List<Expectation> rules) {
  /** Column of names of warn rules a row broke (empty when none). */
  public static final String WARNINGS = "_warnings";
  /** Column naming the drop rule that quarantined a row, null when none. */
  public static final String RULE = "_rule";
  /** Column naming the first fail rule a row broke, null when none. */
  public static final String FAILURE = "_failure";

  public enum Action { WARN, DROP, FAIL }

  public record Expectation(String name, String rule, Action action) {
    Column broken() {
      return not(coalesce(expr(rule), lit(false)));
    }

    String describe() {
      return "expectation " + name + " (" + rule + ") failed";
    }
  }

  public static final Expectations NONE = new Expectations(List.of());

  /** The rules of a config list of {name, rule, action}; {@code path} names it in errors. */
  public static Expectations parse(String path, List<? extends Config> entries) {
    List<Expectation> rules = new ArrayList<>();
    for (Config c : entries) {
      String action = c.getString("action");
      try {
        rules.add(new Expectation(c.getString("name"), c.getString("rule"), Action.valueOf(action.toUpperCase(Locale.ROOT))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + ": action of '" + c.getString("name")
            + "' must be warn, drop or fail, got '" + action + "'");
      }
    }
    return new Expectations(rules);
  }

  /**
   * True where a row breaks no drop or fail rule: what silver would apply. For a reader that
   * must agree with silver without its quarantine, e.g. the hot path skipping what silver drops.
   */
  public Column kept() {
    Column kept = lit(true);
    for (Expectation r : rules) {
      if (r.action() != Action.WARN) kept = kept.and(not(r.broken()));
    }
    return kept;
  }

  public boolean has(Action action) {
    return rules.stream().anyMatch(r -> r.action() == action);
  }

  /**
   * Evaluates the rules on rows whose {@code error_class} is null and for which
   * {@code applies} holds: the first broken drop rule sets error_class/error_message and is
   * named in {@link #RULE}; broken warn rules are listed in {@link #WARNINGS}; the first broken
   * fail rule is named in {@link #FAILURE}.
   */
  public Dataset<Row> evaluate(Dataset<Row> rows, Column applies) {
    Column checked = col("error_class").isNull().and(applies);
    Column dropRule = firstBroken(Action.DROP, checked);
    Column dropMessage = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      Expectation r = rules.get(i);
      if (r.action() == Action.DROP) dropMessage = when(dropRule.equalTo(r.name()), lit(r.describe())).otherwise(dropMessage);
    }
    List<Column> warnings = new ArrayList<>();
    for (Expectation r : rules) {
      if (r.action() == Action.WARN) warnings.add(when(checked.and(r.broken()), lit(r.name())));
    }
    Column warned = warnings.isEmpty()
        ? array().cast("array<string>")
        : array_compact(array(warnings.toArray(Column[]::new)));
    return rows
        .withColumn(RULE, dropRule)
        .withColumn("error_message", coalesce(col("error_message"), dropMessage))
        .withColumn("error_class", when(col(RULE).isNotNull(), lit(ErrorClass.EXPECTATION_FAILED)).otherwise(col("error_class")))
        .withColumn(WARNINGS, warned)
        .withColumn(FAILURE, firstBroken(Action.FAIL, checked));
  }

  private Column firstBroken(Action action, Column checked) {
    Column name = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      Expectation r = rules.get(i);
      if (r.action() == action) name = when(checked.and(r.broken()), lit(r.name())).otherwise(name);
    }
    return name;
  }
}
