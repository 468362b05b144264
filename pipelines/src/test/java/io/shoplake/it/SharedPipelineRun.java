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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
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
 * <p>Before the run, the scenario gets what those tests check: the records of {@link
 * BadInputCorpus}, which break the contract, and low stock at three locations. Small ingest
 * batches give bronze many files, so that silver works through many batches when {@link
 * SilverFaultIT} replays it.
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
  private final List<BadInputCorpus.Sent> badInput;
  private final Set<TableAccess.Access> accesses;
  private boolean handedOver;

  private SharedPipelineRun(Map<String, String> s3Settings, Path warehouse, List<BadInputCorpus.Sent> badInput,
      Set<TableAccess.Access> accesses) {
    Devstack devstack = Devstack.get();
    this.accesses = Set.copyOf(accesses);
    this.s3Settings = Map.copyOf(s3Settings);
    this.s3Config = devstack.config("s3", s3Settings);
    Map<String, String> local = new HashMap<>(s3Settings);
    local.put("shoplake.storage.warehouse", warehouse.toUri().toString());
    this.settings = Map.copyOf(local);
    this.config = devstack.config("local", local);
    this.warehouse = warehouse;
    this.badInput = List.copyOf(badInput);
  }

  static synchronized SharedPipelineRun get() throws Exception {
    if (instance == null) {
      Devstack devstack = Devstack.get();
      Map<String, String> settings = new HashMap<>(devstack.isolatedSettings("s3", null));
      settings.put("shoplake.kafka.max-offsets-per-trigger", "2000");
      // Each job run's lineage goes to the broker, for LineageIT to read as a catalog would.
      settings.put("shoplake.lineage.transport", "kafka");
      ShoplakeConfig config = devstack.config("s3", settings);

      List<BadInputCorpus.Sent> badInput = BadInputCorpus.send(config);
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
      instance = new SharedPipelineRun(settings, warehouse, badInput, accesses);
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

  /** The records of {@link BadInputCorpus}, sent before the run, with where Kafka put each. */
  List<BadInputCorpus.Sent> badInput() {
    return badInput;
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
}
