package io.shoplake.it;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Topics;
import io.shoplake.serving.ServingTopics;
import io.shoplake.devstack.DevstackProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One real devstack per test JVM (starting one takes a while), with one seeded simulator
 * scenario already run, stopped when the JVM exits. Each test gets its own warehouse,
 * Redis key prefix and serving topic, so tests never pass on each other's output.
 */
public final class Devstack {
  private static Devstack instance;
  private final DevstackProcess process;

  private Devstack(DevstackProcess process) {
    this.process = process;
  }

  public static synchronized Devstack get() {
    if (instance == null) {
      try {
        Path state = Files.createTempDirectory("shoplake-it-devstack");
        DevstackProcess process = DevstackProcess.start(state, Duration.ofMinutes(4));
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "devstack-stop"));
        instance = new Devstack(process);
        // The scenario every end-to-end test checks: a few hundred orders with their
        // reservations, shipments and cancellations, restocks, price changes and clicks; then
        // the CDC stress scenario (bursts, bulk changes in one transaction, deletes, re-inserts,
        // a column added to products).
        instance.simulate("--max-orders", "300", "--rate", "150", "--duration", "120s", "--seed", "20261125",
            "--cdc-stress");
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("devstack did not start", e);
      }
    }
    return instance;
  }

  public Path stateDir() {
    return process.stateDir();
  }

  /** Runs the simulator to its end. */
  public void simulate(String... args) {
    runToEnd(startSimulator(args));
  }

  /** Runs the simulator's planted incidents ({@code simulate-incidents}) to their end. */
  public void plantIncidents(String... args) {
    runToEnd(start("simulate-incidents", args));
  }

  private void runToEnd(Process p) {
    try {
      if (p.waitFor() != 0) throw new IllegalStateException("simulator failed; see " + stateDir().resolve("simulator.log"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Process startSimulator(String... args) {
    return start("simulate", args);
  }

  private Process start(String command, String... args) {
    String[] full = new String[args.length + 3];
    full[0] = command;
    full[1] = "--state-dir";
    full[2] = stateDir().toString();
    System.arraycopy(args, 0, full, 3, args.length);
    try {
      return DevstackProcess.spawn(stateDir().resolve("simulator.log"), full);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Settings for one test: the devstack's endpoints and names of its own. */
  public Map<String, String> isolatedSettings(String env, Path localWarehouse) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> conf = new HashMap<>();
    conf.put("shoplake.devstack.state-dir", stateDir().toString());
    conf.put("shoplake.redis.key-prefix", "it-" + id);
    conf.put("shoplake.serving.availability-topic", "serving.inventory_availability.it-" + id);
    conf.put("shoplake.serving.low-stock-topic", "serving.low_stock_alerts.it-" + id);
    conf.put("shoplake.anomalies.topic", "ops.alerts.it-" + id);
    conf.put("shoplake.spark.shuffle-partitions", "2");
    conf.put("shoplake.metrics.port", "0");
    if (env.equals("local")) conf.put("shoplake.storage.warehouse", localWarehouse.toUri().toString());
    return conf;
  }

  /**
   * The config of {@code settings} under which ingest reads {@code clickstreamTopic} and nothing
   * else: the shop's other topics are renamed to empty ones of this test (created here: Spark's
   * Kafka source refuses a missing topic), and its progress is mirrored to consumer groups of its
   * own, not to the shared run's.
   */
  public ShoplakeConfig ingestingOnly(String env, Map<String, String> settings, String clickstreamTopic) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> own = new HashMap<>(settings);
    own.put("shoplake.sources.clickstream-topic", clickstreamTopic);
    own.put("shoplake.sources.cdc.topic-prefix", "idle_" + id);
    own.put("shoplake.kafka.consumer-group-prefix", "shoplake.it-" + id + ".");
    ShoplakeConfig config = config(env, own).with("shoplake.sources.outbox-topics", List.of("idle_" + id + ".order"));
    for (String topic : Topics.from(config).sources()) {
      ServingTopics.ensureEvents(KafkaSettings.connection(config), topic, 1);
    }
    return config;
  }

  /** The pseudonymisation key of this test JVM; child JVMs get it through their environment. */
  public static final String PII_KEY = "it-" + UUID.randomUUID();

  public ShoplakeConfig config(String env, Map<String, String> settings) {
    ShoplakeConfig config = ShoplakeConfig.load(env, settings, process.endpointsFile()).with("shoplake.pii.key", PII_KEY);
    if (env.equals("s3") && !settings.containsKey("shoplake.storage.warehouse")) {
      config = config.with("shoplake.storage.warehouse", "s3a://" + config.string("shoplake.s3.bucket")
          + "/it/" + settings.get("shoplake.redis.key-prefix") + "/warehouse");
    }
    return config;
  }
}
