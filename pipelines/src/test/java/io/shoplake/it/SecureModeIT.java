package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.checks.ServingCheck;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.inventory.InventoryAvailabilityJob;
import io.shoplake.serving.AvailabilityServingJob;
import io.shoplake.serving.HotAvailabilityJob;
import io.shoplake.testing.CapturedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The devstack in secure mode: its broker listens SASL_SSL only with SCRAM-SHA-512 users, its
 * Redis TLS only with the default user off, both on a certificate made at start. A client without
 * the credentials, or with a wrong password, gets nothing; with {@code shoplake.kafka.options}
 * and {@code shoplake.redis.*} (from the devstack's endpoints file, as a shop's would come from
 * its own config and environment) every client of the pipeline works: Debezium publishing the
 * shop's changes, ingest's source and its consumer-group mirror, the serving topics' sinks and
 * admin clients, the hot path's Kafka producers and Redis writers on the executors, the lineage
 * producer, and the checks' consumers and Redis reads. No password appears in a log line, in a
 * printout of the configuration or in a file of the warehouse.
 */
class SecureModeIT {
  /** Between them, every kind of Kafka client a run has; gold availability reads bronze. */
  private static final Set<String> JOBS = Set.of(BronzeIngestJob.NAME, InventoryAvailabilityJob.NAME,
      AvailabilityServingJob.NAME, HotAvailabilityJob.NAME);

  @Test
  void thePipelineWorksThroughSaslSslAndRedisTlsAndNoClientGetsInWithoutItsCredentials(@TempDir Path state,
      @TempDir Path warehouse) throws Exception {
    SparkSession spark = ItSpark.get(Devstack.get());
    CapturedLogs logs = CapturedLogs.attach();
    try (DevstackProcess secure = DevstackProcess.start(state, Duration.ofMinutes(4), true)) {
      Map<String, String> settings = new HashMap<>();
      settings.put("shoplake.storage.warehouse", warehouse.toUri().toString());
      settings.put("shoplake.redis.key-prefix", "it-secure");
      settings.put("shoplake.redis.outage-timeout", "2s");
      settings.put("shoplake.metrics.port", "-1");
      settings.put("shoplake.lineage.transport", "kafka");
      ShoplakeConfig config = ShoplakeConfig.load("local", settings, secure.endpointsFile())
          .with("shoplake.pii.key", Devstack.PII_KEY);
      KafkaConnection kafka = KafkaSettings.connection(config);
      assertThat(kafka.options()).containsEntry("security.protocol", "SASL_SSL").containsKey("sasl.jaas.config");
      String password = password(kafka.options().get("sasl.jaas.config"));

      assertThatThrownBy(() -> listTopics(KafkaConnection.plaintext(kafka.bootstrapServers())))
          .as("a plaintext client: the broker answers it with nothing but a failed TLS handshake")
          .satisfies(e -> assertThat(com.google.common.base.Throwables.getRootCause(e)).isInstanceOfAny(
              org.apache.kafka.common.errors.TimeoutException.class, java.util.concurrent.TimeoutException.class));
      Map<String, String> wrong = new HashMap<>(kafka.options());
      wrong.put("sasl.jaas.config", wrong.get("sasl.jaas.config").replace(password, "not-" + password));
      assertThatThrownBy(() -> listTopics(new KafkaConnection(kafka.bootstrapServers(), wrong)))
          .as("a wrong password").hasRootCauseInstanceOf(SaslAuthenticationException.class);
      assertThat(listTopics(kafka)).contains("shop.inventory", "clickstream");

      RedisSettings redis = RedisSettings.from(config);
      assertThat(redis.tls()).isTrue();
      assertThat(redis.user()).isNotNull();
      assertThatThrownBy(() -> ping(new RedisSettings(redis.host(), redis.port(), null, "x")))
          .as("Redis without TLS").isInstanceOf(JedisConnectionException.class);
      assertThatThrownBy(() -> ping(new RedisSettings(redis.host(), redis.port(), null, "x", Duration.ofSeconds(1),
          null, true, redis.tlsTruststore()))).as("Redis without a user").hasMessageContaining("NOAUTH");
      assertThatThrownBy(() -> ping(new RedisSettings(redis.host(), redis.port(), "not-" + redis.password(), "x",
          Duration.ofSeconds(1), redis.user(), true, redis.tlsTruststore()))).as("Redis with a wrong password")
          .hasMessageContaining("WRONGPASS");
      assertThat(ping(redis)).isEqualTo("PONG");

      Process simulator = DevstackProcess.spawn(state.resolve("simulator.log"), "simulate", "--state-dir",
          state.toString(), "--duration", "10s", "--rate", "20", "--seed", "11");
      assertThat(simulator.waitFor(3, TimeUnit.MINUTES)).isTrue();
      assertThat(simulator.exitValue()).as("the simulator, clicks through SASL_SSL").isZero();
      PipelineRuns.runOnce(spark, config, job -> JOBS.contains(job.name()));

      PipelineRuns.assertBronzeReconciles(spark, config);
      Tables tables = Tables.from(config);
      Map<String, String> gold = ServingCheck.gold(spark, tables);
      assertThat(gold).as("gold availability, from the changes Debezium published").isNotEmpty();
      assertThat(ServingCheck.differences(gold, ServingCheck.redis(redis))).as("Redis over TLS, as the ACL user")
          .isEmpty();
      assertThat(ServingTopicReader.all(kafka, tables.topics().availability())).as("the serving topic").isNotEmpty();
      assertThat(ServingTopicReader.all(kafka, config.string("shoplake.lineage.topic"))).as("lineage events")
          .hasSizeGreaterThanOrEqualTo(2 * JOBS.size());

      List<String> secrets = List.of(password, redis.password());
      assertThat(config.describe()).contains("SASL_SSL").doesNotContain(secrets);
      assertThat(logs.lines()).as("this JVM's log").noneMatch(line -> secrets.stream().anyMatch(line::contains));
      assertThat(logs.lines()).as("Redis connections made without a warning each")
          .noneMatch(line -> line.contains("auto-negotiation"));
      // The devstack's endpoints file holds it, as a shop's secret store would; nothing else may.
      try (Stream<Path> files = Stream.concat(Files.walk(warehouse), Files.walk(state))) {
        for (Path file : files.filter(Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().equals("devstack.conf")).toList()) {
          assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
              .doesNotContain(secrets);
        }
      }
    } finally {
      logs.detach();
    }
  }

  private static Set<String> listTopics(KafkaConnection kafka) throws Exception {
    try (Admin admin = kafka.admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  private static String ping(RedisSettings redis) {
    try (Jedis jedis = redis.connect()) {
      return jedis.ping();
    }
  }

  private static String password(String jaas) {
    var m = java.util.regex.Pattern.compile("password=\"([^\"]+)\"").matcher(jaas);
    assertThat(m.find()).as("a password in the JAAS line").isTrue();
    return m.group(1);
  }
}
