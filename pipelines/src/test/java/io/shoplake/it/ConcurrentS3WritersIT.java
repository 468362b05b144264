package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.Sql;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.core.s3.ConditionalS3LogStore;
import io.shoplake.quality.Quarantine;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Writers in several JVMs on one Delta table on S3, as Airflow's parallel silver tasks append to
 * {@code quality.quarantine}: each commit is created only if its version is absent
 * ({@link ConditionalS3LogStore}), so no commit replaces another and every batch lands once.
 */
class ConcurrentS3WritersIT {
  private static final int BATCHES = 10;
  private final Devstack devstack = Devstack.get();
  private final SparkSession spark = ItSpark.get(devstack);
  private final String bucket = devstack.config("s3", java.util.Map.of()).string("shoplake.s3.bucket");

  @Test
  void aCommitIsPutOnlyWhereItsVersionIsAbsentAndAThisCommitFoundThereIsItsOwn() throws Exception {
    Configuration hadoop = spark.sessionState().newHadoopConf();
    // No existence probe before the PUT: only the endpoint's If-None-Match check can refuse it.
    hadoop.set("fs.s3a.performance.flags", "create");
    ConditionalS3LogStore store = new ConditionalS3LogStore(hadoop);
    org.apache.hadoop.fs.Path commit = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/it/logstore-" + UUID.randomUUID()
        + "/_delta_log/00000000000000000001.json");
    String ours = "{\"commitInfo\":{\"txnId\":\"ours\"}}";

    store.write(commit, List.of(ours).iterator(), false, hadoop);
    assertThatThrownBy(() -> store.write(commit, List.of("{\"commitInfo\":{\"txnId\":\"theirs\"}}").iterator(), false, hadoop))
        .as("another writer's commit of the same version").isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    // A PUT retried after its answer was lost finds this very commit there: done, not a conflict.
    store.write(commit, List.of(ours).iterator(), false, hadoop);
    try (InputStream in = commit.getFileSystem(hadoop).open(commit)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ours + "\n");
    }
  }

  @Test
  void twoJvmsAppendingToOneTableOnS3LandEveryBatchExactlyOnce() throws Exception {
    String warehouse = "s3a://" + bucket + "/it/concurrent-" + UUID.randomUUID() + "/warehouse";
    Tables tables = new Tables(warehouse, null);
    TableBootstrap.ensure(spark, tables, List.of(Quarantine.TABLE));
    Path logs = Files.createTempDirectory("concurrent-writers");
    List<Process> writers = new ArrayList<>();
    // Both start appending at once, once their Spark is up: their commits race for each version.
    long startAt = System.currentTimeMillis() + 30_000;
    for (String stage : List.of("writer-a", "writer-b")) {
      writers.add(writer(stage, startAt, warehouse, logs.resolve(stage + ".log")));
    }
    for (int i = 0; i < writers.size(); i++) {
      Process writer = writers.get(i);
      assertThat(writer.waitFor(5, TimeUnit.MINUTES)).as("writer %d finished; see %s", i, logs).isTrue();
      assertThat(writer.exitValue()).as("writer %d's exit; see %s", i, logs).isZero();
    }

    String table = Sql.deltaTable(tables.path(Tables.QUARANTINE));
    List<Row> perBatch = spark.sql("SELECT stage, batch_id, count(*) AS n FROM " + table + " GROUP BY stage, batch_id").collectAsList();
    assertThat(perBatch).hasSize(2 * BATCHES).allSatisfy(r -> assertThat(r.getLong(2)).as(r.toString()).isEqualTo(1L));
    assertThat(spark.sql("DESCRIBE HISTORY " + table).filter("operation = 'WRITE'").count())
        .as("one commit per batch, none replaced by another").isEqualTo(2L * BATCHES);
  }

  private Process writer(String stage, long startAt, String warehouse, Path log) throws Exception {
    Path home = Path.of(System.getProperty("shoplake.home"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    cmd.addAll(List.of(Files.readString(home.resolve("pipelines/target/launcher/jvm-flags")).trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), QuarantineAppender.class.getName(), stage,
        String.valueOf(BATCHES), String.valueOf(startAt), "shoplake.devstack.state-dir=" + devstack.stateDir(), "shoplake.storage.warehouse=" + warehouse,
        "shoplake.spark.master=local[1]", "shoplake.spark.conf.\"spark.ui.enabled\"=false"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
