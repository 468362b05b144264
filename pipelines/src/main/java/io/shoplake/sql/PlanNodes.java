package io.shoplake.sql;

import java.util.function.Predicate;
import org.apache.spark.sql.catalyst.plans.logical.AnalysisOnlyCommand;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/** Walks every node a plan would run, including its subqueries and what a view or cache command keeps. */
final class PlanNodes {
  private PlanNodes() {}

  /** Calls {@code enter} on each node, top-down; where it returns false, the node's inputs are skipped. */
  static void visit(LogicalPlan plan, Predicate<LogicalPlan> enter) {
    if (!enter.test(plan)) return;
    // A temporary view or a cached query keeps its analysed query here, not among the children.
    if (plan instanceof AnalysisOnlyCommand command) {
      CollectionConverters.asJava(command.childrenToAnalyze()).forEach(child -> visit(child, enter));
    }
    CollectionConverters.asJava(plan.children()).forEach(child -> visit(child, enter));
    CollectionConverters.asJava(plan.subqueries()).forEach(subquery -> visit(subquery, enter));
  }
}
