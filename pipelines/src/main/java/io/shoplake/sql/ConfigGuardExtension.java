package io.shoplake.sql;

import io.shoplake.quality.PipelineMetrics;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.SetCommand;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * The SQL side of {@link ConfigRpcGuard}: {@code SET key=value} on a protected setting is refused
 * (reading one with {@code SET key} is fine: Spark redacts secrets there by the fixed pattern), and
 * so is {@code reflect}/{@code java_method}, which calls any static method of the server's JVM:
 * {@code System.getenv} would return its storage keys.
 * Installed on every sql-server, read-only or not, through the static {@code spark.sql.extensions}.
 */
public final class ConfigGuardExtension implements scala.Function1<SparkSessionExtensions, BoxedUnit> {
  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(session -> {
      SecretConfigs secrets = SecretConfigs.of(session.sparkContext().conf());
      return plan -> {
        check(plan, secrets);
        return BoxedUnit.UNIT;
      };
    });
    return BoxedUnit.UNIT;
  }

  static void check(LogicalPlan plan, SecretConfigs secrets) {
    PlanNodes.visit(plan, node -> {
      if (CollectionConverters.asJava(node.expressions()).stream().anyMatch(ConfigGuardExtension::callsJavaMethods)) {
        PipelineMetrics.get().refusedPlan("CallMethodViaReflection");
        throw new SecurityException("shoplake sql-server: reflect and java_method cannot be called by a client"
            + " (they would read the server's environment)");
      }
      return true;
    });
    if (!(plan instanceof SetCommand set)) return;
    Option<Tuple2<String, Option<String>>> kv = set.kv();
    if (kv.isDefined() && kv.get()._2().isDefined() && secrets.isProtected(kv.get()._1())) {
      throw new SecurityException("shoplake sql-server: " + kv.get()._1().trim()
          + " cannot be set by a client (it holds or guards a secret)");
    }
  }

  private static boolean callsJavaMethods(Expression expression) {
    return expression instanceof CallMethodViaReflection
        || CollectionConverters.asJava(expression.children()).stream().anyMatch(ConfigGuardExtension::callsJavaMethods);
  }
}
