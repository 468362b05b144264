package io.shoplake.sql;

import io.shoplake.quality.PipelineMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.AnalysisOnlyCommand;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.delta.DeltaLogFileIndex;
import org.apache.spark.sql.delta.commands.cdc.DeltaCDFRelationBase;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * On the analysts' endpoint, a plan reads only what the endpoint serves: files inside the location
 * of a table it serves, and a restricted table only through the projection that redacts it (the
 * query of its analysts' view). So neither {@code delta.`.../bronze/...`}, nor a raw file of the
 * warehouse or of the server's machine ({@code spark.read.text("/proc/self/environ")}), nor a
 * batch read of a Kafka topic or a JDBC table gets past analysis. Metadata commands (DESCRIBE,
 * SHOW) are the read-only rule's business.
 *
 * <p>The redaction is recognised by what it computes, not by the view's name: Spark checks a
 * view's query on its own too, and the same projection written by hand reveals nothing more.
 * Registered through the static {@code spark.sql.extensions}, so a session cannot remove it; code
 * a client ships (a UDF) is not a plan and is not held by it (see README).
 */
public final class RestrictedDataExtension implements scala.Function1<SparkSessionExtensions, BoxedUnit> {
  /**
   * Leaves that read no storage: literal rows, ranges, cached and common-table results, the output
   * of a command the read-only rule admitted (DESCRIBE HISTORY, SHOW TABLES), and rows already in
   * memory (an RDD, which a Connect client cannot make: Delta's own lookups use them).
   */
  private static final Set<String> STORAGE_FREE = Set.of("LocalRelation", "Range", "OneRowRelation",
      "InMemoryRelation", "CTERelationRef", "EmptyRelation", "CommandResult", "LogicalRDD");

  /**
   * What the endpoint serves: table locations (qualified, as Spark's file index names them), and per
   * restricted location the one projection through which it may be read (each column's SQL).
   */
  record Scope(List<String> locations, Map<String, List<String>> redactions) {
    Scope {
      locations = locations.stream().map(Scope::withoutSlash).toList();
      redactions = redactions.entrySet().stream()
          .collect(java.util.stream.Collectors.toUnmodifiableMap(e -> withoutSlash(e.getKey()), Map.Entry::getValue));
    }

    boolean serves(Path file) {
      String path = file.toString();
      return locations.stream().anyMatch(l -> path.equals(l) || path.startsWith(l + "/"));
    }

    /** Whether {@code project} reads a restricted table directly, through exactly its redaction. */
    boolean redacts(Project project) {
      Optional<Path> table = tableRead(project.child());
      return table.isPresent() && projection(project).equals(redactions.get(table.get().toString()));
    }

    private static String withoutSlash(String location) {
      return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }
  }

  private static volatile Scope scope;

  /** Set by the server before it admits a client; until then every read is refused. */
  static void serve(Scope served) {
    scope = served;
  }

  /** Each column of {@code project} as SQL: what a redaction is compared by. */
  static List<String> projection(Project project) {
    List<NamedExpression> columns = CollectionConverters.asJava(project.projectList());
    return columns.stream().map(column -> ((Expression) column).sql()).toList();
  }

  /** The projection directly over the restricted table in {@code analysed} (its view's query). */
  static List<String> redactionIn(LogicalPlan analysed) {
    List<Project> found = new java.util.ArrayList<>();
    PlanNodes.visit(analysed, node -> {
      if (node instanceof Project project && tableRead(project.child()).isPresent()) found.add(project);
      return found.isEmpty();
    });
    if (found.isEmpty()) throw new IllegalStateException("no projection over a table in " + analysed);
    return projection(found.get(0));
  }

  /** The one table location {@code plan} reads when it is a file relation (under aliases). */
  private static Optional<Path> tableRead(LogicalPlan plan) {
    while (plan instanceof SubqueryAlias alias) plan = alias.child();
    if (plan instanceof LogicalRelation relation && relation.relation() instanceof HadoopFsRelation files
        && files.location().rootPaths().size() == 1) {
      return Optional.of(files.location().rootPaths().head());
    }
    return Optional.empty();
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(session -> plan -> {
      if (!ReadOnlyExtension.bypassed()) check(plan, scope);
      return BoxedUnit.UNIT;
    });
    return BoxedUnit.UNIT;
  }

  static void check(LogicalPlan plan, Scope served) {
    if (served == null) throw refusal("the endpoint is not serving yet");
    PlanNodes.visit(plan, node -> {
      if (node instanceof Project project && served.redacts(project)) return false;
      // Metadata only (DESCRIBE, SHOW): the read-only rule admits no other command. A temporary
      // view's or a cached query's own query is checked as the plan it keeps.
      if (node instanceof Command) return node instanceof AnalysisOnlyCommand;
      if (node.children().isEmpty()) checkLeaf(node, served);
      return true;
    });
  }

  private static void checkLeaf(LogicalPlan leaf, Scope served) {
    if (leaf instanceof LogicalRelation relation && relation.relation() instanceof HadoopFsRelation files) {
      // Delta reading a table's log for the table's snapshot, as part of a read this rule judges on
      // its own: a client's read of the log files is an ordinary file index, refused below.
      if (files.location() instanceof DeltaLogFileIndex) return;
      for (Path root : CollectionConverters.asJava(files.location().rootPaths())) {
        if (!served.serves(root)) throw refusal(root + " is not a table it serves");
      }
      return;
    }
    // table_changes(...): a Delta table's change feed, read from the table's own files.
    if (leaf instanceof LogicalRelation relation && relation.relation() instanceof DeltaCDFRelationBase changes) {
      Path table = changes.deltaLog().dataPath();
      if (!served.serves(table)) throw refusal(table + " is not a table it serves");
      return;
    }
    // Catalog references (ResolvedTable, ResolvedTempView...) name a table without reading it.
    String kind = leaf.getClass().getSimpleName();
    if (STORAGE_FREE.contains(kind) || kind.startsWith("Resolved")) return;
    String source = leaf instanceof LogicalRelation relation ? relation.relation().getClass().getSimpleName()
        : leaf.getClass().getSimpleName();
    throw refusal("it reads only its tables, not " + source);
  }

  private static SecurityException refusal(String why) {
    PipelineMetrics.get().refusedPlan("RestrictedRead");
    return new SecurityException("shoplake sql-server serves analysts its tables only: " + why
        + " (bronze and the raw quarantine are served with --engineers)");
  }
}
