package io.shoplake.sql;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.SetCommand;
import scala.Option;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

/**
 * The SQL side of {@link ConfigRpcGuard}: {@code SET key=value} on a protected setting is refused
 * (reading one with {@code SET key} is fine: Spark redacts secrets there by the fixed pattern).
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
    if (!(plan instanceof SetCommand set)) return;
    Option<Tuple2<String, Option<String>>> kv = set.kv();
    if (kv.isDefined() && kv.get()._2().isDefined() && secrets.isProtected(kv.get()._1())) {
      throw new SecurityException("shoplake sql-server: " + kv.get()._1().trim()
          + " cannot be set by a client (it holds or guards a secret)");
    }
  }
}
