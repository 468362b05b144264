package io.shoplake.sql;

import io.shoplake.quality.PipelineMetrics;
import java.util.Set;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.runtime.BoxedUnit;

/**
 * Makes a session read-only for SQL and DataFrame plans: every analysed plan that is a command
 * is refused unless it only reads or only changes the caller's own session (SHOW, DESCRIBE,
 * EXPLAIN, SET, USE, temporary views). So INSERT, MERGE, UPDATE, DELETE, CREATE/DROP/ALTER
 * TABLE, OPTIMIZE, VACUUM, df.write... fail with {@link ReadOnlyViolation} before they run.
 *
 * <p>Registered through {@code spark.sql.extensions}: a static setting, so a client cannot
 * turn it off from its session. It does not sandbox code a client ships (see README).
 */
public final class ReadOnlyExtension implements scala.Function1<SparkSessionExtensions, BoxedUnit> {
  /** Commands that read metadata or change only the caller's session, by class name. */
  private static final Set<String> ALLOWED = Set.of(
      "SetCommand", "ResetCommand", "SetCatalogAndNamespace", "SetNamespaceCommand", "SetCatalogCommand",
      "ShowTables", "ShowTablesCommand", "ShowNamespaces", "ShowNamespacesCommand", "ShowColumns", "ShowColumnsCommand",
      "ShowFunctions", "ShowFunctionsCommand", "ShowTableProperties", "ShowCreateTable",
      "ShowCreateTableCommand", "ShowPartitions", "ShowViews", "ShowCatalogsCommand",
      "DescribeRelation", "DescribeTableCommand", "DescribeColumn", "DescribeColumnCommand",
      "DescribeNamespace", "DescribeFunction", "DescribeFunctionCommand", "DescribeQueryCommand",
      "DescribeDeltaHistory", "DescribeDeltaHistoryCommand", "DescribeDeltaDetailCommand",
      "ExplainCommand", "CacheTableAsSelect", "ClearCacheCommand", "UncacheTable");

  /** Set only while the server itself registers tables, on its own thread. */
  private static final ThreadLocal<Boolean> BYPASS = ThreadLocal.withInitial(() -> false);

  /** Runs {@code action} on this thread with the rule lifted (the server's own catalog setup). */
  static void bypass(Runnable action) {
    BYPASS.set(true);
    try {
      action.run();
    } finally {
      BYPASS.set(false);
    }
  }

  /** Whether this thread is the server's own setup, which the client-facing rules let through. */
  static boolean bypassed() {
    return BYPASS.get();
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(session -> plan -> {
      check(plan);
      return BoxedUnit.UNIT;
    });
    return BoxedUnit.UNIT;
  }

  static void check(LogicalPlan plan) {
    if (!(plan instanceof Command) || BYPASS.get()) return;
    String name = plan.getClass().getSimpleName();
    if (ALLOWED.contains(name) || isTemporaryView(plan)) return;
    PipelineMetrics.get().refusedPlan(name);
    throw new ReadOnlyViolation("shoplake sql-server is read-only: " + name
        + " is refused (start it with --read-write to change tables)");
  }

  /** createOrReplaceTempView and CREATE TEMP VIEW live in the caller's session only. */
  private static boolean isTemporaryView(LogicalPlan plan) {
    if (!plan.getClass().getSimpleName().equals("CreateViewCommand")) return false;
    String type = ((org.apache.spark.sql.execution.command.CreateViewCommand) plan).viewType().toString();
    return type.equals("LocalTempView") || type.equals("GlobalTempView");
  }

  /** What a client sees when it tries to change a table. */
  public static final class ReadOnlyViolation extends SecurityException {
    ReadOnlyViolation(String message) {
      super(message);
    }
  }
}
