package io.shoplake.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ConfigResponse;
import org.apache.spark.connect.proto.ExecuteExternalCommand;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.MlCommand;
import org.apache.spark.connect.proto.PipelineCommand;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.SqlCommand;
import org.apache.spark.connect.proto.WriteStreamOperationStart;
import io.shoplake.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.command.SetCommand;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple2;

/** The rules the sql-server's Connect interceptors and check rule apply, on the requests themselves. */
class ConnectGuardsTest {
  private final SecretConfigs secrets = new SecretConfigs(Pattern.compile("(?i)secret|password|token|access[.]?key|jaas"));
  private final ConfigRpcGuard guard = new ConfigRpcGuard(secrets);

  @Test
  void theConfigRpcReturnsSecretsRedactedAndEverythingElseAsIs() {
    ConfigResponse response = ConfigResponse.newBuilder().setSessionId("s")
        .addPairs(pair("spark.hadoop.fs.s3a.secret.key", "s3-secret"))
        .addPairs(pair("spark.hadoop.fs.s3a.access.key", "AKIA123"))
        .addPairs(pair("spark.connect.authenticate.token", "the-token"))
        .addPairs(pair("spark.sql.shuffle.partitions", "4"))
        .addPairs(KeyValue.newBuilder().setKey("spark.some.password.unset").build())
        .build();
    ConfigResponse redacted = guard.redact(response);
    assertThat(redacted.getPairsList()).extracting(KeyValue::getKey, p -> p.hasValue() ? p.getValue() : null)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("spark.hadoop.fs.s3a.secret.key", SecretConfigs.REDACTED),
            org.assertj.core.groups.Tuple.tuple("spark.hadoop.fs.s3a.access.key", SecretConfigs.REDACTED),
            org.assertj.core.groups.Tuple.tuple("spark.connect.authenticate.token", SecretConfigs.REDACTED),
            org.assertj.core.groups.Tuple.tuple("spark.sql.shuffle.partitions", "4"),
            org.assertj.core.groups.Tuple.tuple("spark.some.password.unset", null));
    assertThat(redacted.getSessionId()).isEqualTo("s");
  }

  @Test
  void aClientMayNotSetOrUnsetASecretOrASwitchThatWouldRevealOne() {
    assertThat(guard.changedProtectedKey(set("spark.sql.shuffle.partitions", "8"))).isEmpty();
    for (String key : new String[] {"spark.redaction.regex", "spark.sql.redaction.options.regex",
        "spark.sql.legacy.setCommandRejectsSparkCoreConfs", "spark.sql.variable.substitute",
        "spark.hadoop.fs.s3a.secret.key"}) {
      assertThat(guard.changedProtectedKey(set(key, "x"))).as(key).contains(key);
      assertThat(guard.changedProtectedKey(unset(key))).as(key).contains(key);
    }
    ConfigRequest get = ConfigRequest.newBuilder().setOperation(ConfigRequest.Operation.newBuilder()
        .setGet(ConfigRequest.Get.newBuilder().addKeys("spark.redaction.regex"))).build();
    assertThat(guard.changedProtectedKey(get)).as("reading the pattern is harmless").isEmpty();
  }

  @Test
  void reflectionIntoTheServersJvmIsRefusedWhereverItHides() {
    SparkSession spark = SharedSpark.get();
    for (String query : new String[] {"SELECT reflect('java.lang.System', 'getenv', 'AWS_SECRET_ACCESS_KEY')",
        "SELECT upper(java_method('java.lang.System', 'getProperty', 'user.home'))",
        "SELECT 1 WHERE EXISTS (SELECT 1 WHERE reflect('java.lang.System', 'getenv', 'HOME') IS NOT NULL)"}) {
      assertThatThrownBy(() -> ConfigGuardExtension.check(spark.sql(query).queryExecution().analyzed(), secrets))
          .as(query).isInstanceOf(SecurityException.class).hasMessageContaining("reflect and java_method");
    }
    ConfigGuardExtension.check(spark.sql("SELECT upper('reflect')").queryExecution().analyzed(), secrets);
  }

  @Test
  void sqlSetOfAProtectedSettingIsRefusedAndReadingOrOtherSettingsAreNot() {
    assertThatThrownBy(() -> ConfigGuardExtension.check(setCommand("spark.sql.variable.substitute ", "true"), secrets))
        .hasMessageContaining("spark.sql.variable.substitute cannot be set");
    assertThatThrownBy(() -> ConfigGuardExtension.check(setCommand("spark.redaction.regex", "nothing"), secrets))
        .isInstanceOf(SecurityException.class);
    ConfigGuardExtension.check(setCommand("spark.sql.shuffle.partitions", "8"), secrets);
    ConfigGuardExtension.check(new SetCommand(Option.apply(new Tuple2<>("spark.hadoop.fs.s3a.secret.key",
        Option.<String>empty()))), secrets);
  }

  @Test
  void aReadOnlyServerRefusesWhatWritesWithoutACommandPlanAndPassesTheRest() {
    assertThat(ReadOnlyRequests.refusal(execute(Command.newBuilder().setWriteStreamOperationStart(
        WriteStreamOperationStart.newBuilder().setTableName("default.leak")))))
        .hasValueSatisfying(r -> assertThat(r).contains("read-only: streaming queries"));
    assertThat(ReadOnlyRequests.refusal(execute(Command.newBuilder().setPipelineCommand(PipelineCommand.newBuilder()
        .setStartRun(PipelineCommand.StartRun.newBuilder().setDataflowGraphId("g"))))))
        .hasValueSatisfying(r -> assertThat(r).contains("declarative pipelines"));
    assertThat(ReadOnlyRequests.refusal(execute(Command.newBuilder().setMlCommand(MlCommand.newBuilder()
        .setWrite(MlCommand.Write.newBuilder().setPath("s3a://lake/silver/inventory"))))))
        .hasValueSatisfying(r -> assertThat(r).contains("saving ML models"));
    assertThat(ReadOnlyRequests.refusal(execute(Command.newBuilder().setExecuteExternalCommand(
        ExecuteExternalCommand.newBuilder().setRunner("jdbc").setCommand("DELETE FROM t"))))).isPresent();

    assertThat(ReadOnlyRequests.refusal(execute(Command.newBuilder().setSqlCommand(
        SqlCommand.newBuilder().setSql("SELECT 1"))))).isEmpty();
    assertThat(ReadOnlyRequests.refusal(execute(Command.newBuilder().setMlCommand(MlCommand.newBuilder()
        .setRead(MlCommand.Read.newBuilder().setPath("/models/als")))))).as("reading a model").isEmpty();
  }

  private static ExecutePlanRequest execute(Command.Builder command) {
    return ExecutePlanRequest.newBuilder().setPlan(Plan.newBuilder().setCommand(command)).build();
  }

  private static KeyValue pair(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static ConfigRequest set(String key, String value) {
    return ConfigRequest.newBuilder().setOperation(ConfigRequest.Operation.newBuilder()
        .setSet(ConfigRequest.Set.newBuilder().addPairs(pair(key, value)))).build();
  }

  private static ConfigRequest unset(String key) {
    return ConfigRequest.newBuilder().setOperation(ConfigRequest.Operation.newBuilder()
        .setUnset(ConfigRequest.Unset.newBuilder().addKeys(key))).build();
  }

  private static SetCommand setCommand(String key, String value) {
    return new SetCommand(Option.apply(new Tuple2<>(key, Option.apply(value))));
  }
}
