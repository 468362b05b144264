package io.shoplake.it;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import java.io.IOException;
import java.io.InputStream;
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
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.SparkSession;

/**
 * One available-now run of the whole pipeline over the devstack's scenario, its warehouse on the
 * devstack's S3 endpoint (s3a, as in production), shared by the integration tests that only read
 * what it produced ({@link BadInputIT}, {@link EndToEndIT}, {@link SilverFaultIT}, {@link
 * LineageIT} and others): a pass over the whole backlog costs minutes on two cores, and each of
 * those tests used to make its own.
 *
 * <p>Once the run has caught up, its warehouse (tables and checkpoints) is copied to a local
 * directory, and {@link #config()} and {@link #settings()} name that copy: the tests that go on
 * from the run (kill it, restart it, replay it) do so on the local file system, which the
 * Python tests and the unit tests use too. {@link #s3Config()} names the run's own warehouse.
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
  private final Map<String, String> s3Settings;
  private final ShoplakeConfig s3Config;
  private final Path warehouse;
  private final RecordMetadata malformed;
  private final RecordMetadata wrongType;
  private final Set<TableAccess.Access> accesses;
  private boolean handedOver;

  private SharedPipelineRun(Map<String, String> s3Settings, Path warehouse, RecordMetadata malformed,
      RecordMetadata wrongType, Set<TableAccess.Access> accesses) {
    Devstack devstack = Devstack.get();
    this.accesses = Set.copyOf(accesses);
    this.s3Settings = Map.copyOf(s3Settings);
    this.s3Config = devstack.config("s3", s3Settings);
    Map<String, String> local = new HashMap<>(s3Settings);
    local.put("shoplake.storage.warehouse", warehouse.toUri().toString());
    this.settings = Map.copyOf(local);
    this.config = devstack.config("local", local);
    this.warehouse = warehouse;
    this.malformed = malformed;
    this.wrongType = wrongType;
  }

  static synchronized SharedPipelineRun get() throws Exception {
    if (instance == null) {
      Devstack devstack = Devstack.get();
      Map<String, String> settings = new HashMap<>(devstack.isolatedSettings("s3", null));
      settings.put("shoplake.kafka.max-offsets-per-trigger", "2000");
      // Each job run's lineage goes to the broker, for LineageIT to read as a catalog would.
      settings.put("shoplake.lineage.transport", "kafka");
      ShoplakeConfig config = devstack.config("s3", settings);

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
      SparkSession spark = ItSpark.get(devstack);
      try {
        PipelineRuns.runUntilGoldMatchesPostgres(spark, config, Duration.ofMinutes(3));
      } finally {
        TableAccess.record(null);
      }
      Path warehouse = devstack.stateDir().resolve("shared-run-warehouse");
      copyToLocal(spark, Tables.from(config).warehouse(), warehouse);
      instance = new SharedPipelineRun(settings, warehouse, malformed, wrongType, accesses);
    }
    instance.checkNotHandedOver();
    return instance;
  }

  /** Every file under {@code from} (any Hadoop file system) to the same place under {@code to}, as it is. */
  private static void copyToLocal(SparkSession spark, String from, Path to) throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(from);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    String prefix = fs.makeQualified(root).toUri().getPath();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
    while (files.hasNext()) {
      org.apache.hadoop.fs.Path file = files.next().getPath();
      Path target = to.resolve(file.toUri().getPath().substring(prefix.length() + 1));
      Files.createDirectories(target.getParent());
      try (InputStream in = fs.open(file)) {
        Files.copy(in, target);
      }
    }
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

  /** Settings of the local copy: the run's own, with the copy as warehouse. */
  Map<String, String> settings() {
    return settings;
  }

  /** The local copy's configuration (env {@code local}). */
  ShoplakeConfig config() {
    return config;
  }

  /** Settings of the run itself, on S3 (env {@code s3}). */
  Map<String, String> s3Settings() {
    return s3Settings;
  }

  /** The run's own configuration, its warehouse on the S3 endpoint. */
  ShoplakeConfig s3Config() {
    return s3Config;
  }

  /** Every table access the run made through {@link TableAccess}, with the job it was made for. */
  Set<TableAccess.Access> accesses() {
    return accesses;
  }

  /** The local copy of the run's warehouse. */
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
