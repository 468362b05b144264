package io.shoplake.it;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.core.TableAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One available-now run of the whole pipeline over the devstack's scenario, local warehouse,
 * shared by the integration tests that only read what it produced ({@link BadInputIT},
 * {@link EndToEndIT}, {@link SilverFaultIT}, {@link LineageIT} and others): a pass over the whole
 * backlog costs minutes on two cores, and each of those tests used to make its own.
 *
 * <p>Before the run, the scenario gets what those tests check: two records that break the CDC
 * contract, and low stock at three locations. Small ingest batches give bronze many files, so
 * that silver works through many batches when {@link SilverFaultIT} replays it.
 *
 * <p>The checks compare the run with PostgreSQL and Kafka as they are, so the run's readers go
 * first ({@code @Order} on the classes) and {@link CrashRecoveryIT}, which changes the shop and
 * continues the pipeline from this run's checkpoints, goes last and takes the run over: a reader
 * after it fails instead of checking a moved state.
 */
final class SharedPipelineRun {
  private static SharedPipelineRun instance;

  private final Map<String, String> settings;
  private final ShoplakeConfig config;
  private final Path warehouse;
  private final RecordMetadata malformed;
  private final RecordMetadata wrongType;
  private final Set<TableAccess.Access> accesses;
  private boolean handedOver;

  private SharedPipelineRun(Map<String, String> settings, ShoplakeConfig config, Path warehouse,
      RecordMetadata malformed, RecordMetadata wrongType, Set<TableAccess.Access> accesses) {
    this.accesses = Set.copyOf(accesses);
    this.settings = settings;
    this.config = config;
    this.warehouse = warehouse;
    this.malformed = malformed;
    this.wrongType = wrongType;
  }

  static synchronized SharedPipelineRun get() throws Exception {
    if (instance == null) {
      Devstack devstack = Devstack.get();
      Path warehouse = Files.createDirectories(devstack.stateDir().resolve("shared-run-warehouse"));
      Map<String, String> settings = new HashMap<>(devstack.isolatedSettings("local", warehouse));
      settings.put("shoplake.kafka.max-offsets-per-trigger", "2000");
      // Each job run's lineage goes to the broker, for LineageIT to read as a catalog would.
      settings.put("shoplake.lineage.transport", "kafka");
      ShoplakeConfig config = devstack.config("local", settings);

      String key = "{\"product_id\":1,\"location_id\":\"WH-EAST\"}";
      RecordMetadata malformed;
      RecordMetadata wrongType;
      try (KafkaProducer<String, String> producer = producer(config)) {
        malformed = producer.send(new ProducerRecord<>("shop.inventory", key, "{\"op\":\"u\", \"after\": {")).get();
        wrongType = producer.send(new ProducerRecord<>("shop.inventory", key,
            "{\"before\":null,\"after\":{\"product_id\":1,\"location_id\":\"WH-EAST\",\"on_hand\":\"plenty\","
                + "\"reserved\":0,\"updated_at\":\"2026-11-25T10:00:00Z\"},\"source\":{\"lsn\":1,\"ts_ms\":0},"
                + "\"op\":\"u\",\"ts_ms\":0}")).get();
      }
      lowStockAtThreeLocations(config);
      Set<TableAccess.Access> accesses = ConcurrentHashMap.newKeySet();
      TableAccess.record(accesses::add);
      try {
        PipelineRuns.runUntilGoldMatchesPostgres(ItSpark.get(devstack), config, Duration.ofMinutes(3));
      } finally {
        TableAccess.record(null);
      }
      instance = new SharedPipelineRun(settings, config, warehouse, malformed, wrongType, accesses);
    }
    instance.checkNotHandedOver();
    return instance;
  }

  /** Low stock at a few locations, whatever the simulator left, so the alert checks have some. */
  static void lowStockAtThreeLocations(ShoplakeConfig config) throws Exception {
    try (var c = PostgresSettings.from(config).connect(); var s = c.createStatement()) {
      s.executeUpdate("UPDATE inventory SET on_hand = reserved + 2 WHERE (product_id, location_id) IN"
          + " (SELECT product_id, location_id FROM inventory ORDER BY product_id, location_id LIMIT 3)");
    }
  }

  /** For the one test that moves the shop and this run's tables on; nobody reads the run after it. */
  synchronized SharedPipelineRun handOver() {
    checkNotHandedOver();
    handedOver = true;
    return this;
  }

  private void checkNotHandedOver() {
    if (handedOver) {
      throw new IllegalStateException("the shared pipeline run was handed over to CrashRecoveryIT, which moved it on;"
          + " a test reading it must run before (see @Order)");
    }
  }

  Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  ShoplakeConfig config() {
    return config;
  }

  /** Every table access the run made through {@link TableAccess}, with the job it was made for. */
  Set<TableAccess.Access> accesses() {
    return accesses;
  }

  Path warehouse() {
    return warehouse;
  }

  /** A record whose value is not JSON, sent to {@code shop.inventory} before the run. */
  RecordMetadata malformedRecord() {
    return malformed;
  }

  /** A change whose {@code on_hand} is a word, sent to {@code shop.inventory} before the run. */
  RecordMetadata wrongTypeRecord() {
    return wrongType;
  }

  /** A copy of the run's warehouse (tables and checkpoints), for a test that changes what it reads. */
  Path copyWarehouse(Path to) throws IOException {
    copyTree(warehouse, to);
    return to;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(p -> {
        try {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) Files.createDirectories(target);
          else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static KafkaProducer<String, String> producer(ShoplakeConfig config) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.string("shoplake.kafka.bootstrap-servers"));
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }
}
