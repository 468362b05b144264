package io.shoplake.core;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.TruncationGranularity$;
import scala.Option;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The one way to the registry's Delta tables: by {@link TableId}, never by a path a caller
 * builds. Reads (whole, as of a version, as a stream, as a change-feed stream) and the handle for
 * merges and updates; appends go through {@link DeltaWrites}, keyed replaces through {@link
 * KeyedReplace}. A test can install a {@link #record recorder} to see which job touched which
 * table, and compare it with what the job declares.
 */
public final class TableAccess {
  /** Spark local property naming the job a thread works for; streams inherit it from the thread that starts them. */
  public static final String JOB_PROPERTY = "shoplake.job";

  public enum Kind { READ, WRITE }

  /** One access: {@code job} is null when no job was running (a check, a query, a test). */
  public record Access(String job, TableId table, Kind kind) {}

  private static volatile Consumer<Access> recorder;

  private final SparkSession spark;
  private final Tables tables;

  private TableAccess(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  public static TableAccess of(SparkSession spark, Tables tables) {
    return new TableAccess(spark, tables);
  }

  public SparkSession spark() {
    return spark;
  }

  /** Where the table lives, for messages that send an operator to it. */
  public String location(TableId table) {
    return tables.path(table);
  }

  /** Sends every access from now on to {@code sink} (null: stop recording). For tests. */
  public static void record(Consumer<Access> sink) {
    recorder = sink;
  }

  public Dataset<Row> read(TableId table) {
    note(table, Kind.READ);
    return spark.read().format("delta").load(tables.path(table));
  }

  /** The table as it was at {@code version} (a Delta commit). */
  public Dataset<Row> readAsOf(TableId table, long version) {
    note(table, Kind.READ);
    return spark.read().format("delta").option("versionAsOf", version).load(tables.path(table));
  }

  /** The table, or no rows of {@code schema} where none exists yet (a source not written so far). */
  public Dataset<Row> readOrEmpty(TableId table, StructType schema) {
    return exists(table) ? read(table) : spark.createDataFrame(List.of(), schema);
  }

  public boolean exists(TableId table) {
    note(table, Kind.READ);
    return DeltaTable.isDeltaTable(spark, tables.path(table));
  }

  /**
   * True when the table holds nothing but its creation: its log has only version 0, and that
   * commit added no file. Read from the log's files, without a Spark job: a first start checks
   * every table it appends to, and a query on an empty table still costs most of a second.
   */
  public boolean neverWritten(TableId table) {
    note(table, Kind.READ);
    Path log = new Path(tables.path(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(log)) return false;
      boolean created = false;
      for (FileStatus f : fs.listStatus(log)) {
        String name = f.getPath().getName();
        if (!name.matches("\\d{20}\\..*")) continue;
        if (Long.parseLong(name.substring(0, 20)) > 0) return false;
        created |= name.endsWith(".json");
      }
      if (!created) return false;
      try (var in = new BufferedReader(new InputStreamReader(
          fs.open(new Path(log, String.format("%020d.json", 0))),
          StandardCharsets.UTF_8))) {
        // A commit is one JSON action per line; a file added is an "add" action.
        return in.lines().noneMatch(line -> line.startsWith("{\"add\""));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the log of " + table + " at " + log, e);
    }
  }

  /**
   * The table as a stream; {@code maxFilesPerTrigger}, when set, caps each micro-batch. Streamed
   * tables are appended to only, but for an erasure, which rewrites rows already read: the stream
   * skips that commit (whose rows it had, with the customer) instead of failing on it.
   */
  public Dataset<Row> stream(TableId table, OptionalInt maxFilesPerTrigger) {
    note(table, Kind.READ);
    var reader = spark.readStream().format("delta").option("skipChangeCommits", "true");
    if (maxFilesPerTrigger.isPresent()) reader = reader.option("maxFilesPerTrigger", maxFilesPerTrigger.getAsInt());
    return reader.load(tables.path(table));
  }

  /**
   * The table's change feed as a stream, from its first version: a job started after its
   * source already had commits still sees every row.
   */
  public Dataset<Row> changeFeedStream(TableId table) {
    note(table, Kind.READ);
    return spark.readStream().format("delta").option("readChangeFeed", "true").option("startingVersion", 0)
        .load(tables.path(table));
  }

  /** Commit history, newest first. */
  public Dataset<Row> history(TableId table) {
    note(table, Kind.READ);
    return DeltaTable.forPath(spark, tables.path(table)).history();
  }

  /** The newest {@code commits} entries of the commit history. */
  public Dataset<Row> history(TableId table, int commits) {
    note(table, Kind.READ);
    return DeltaTable.forPath(spark, tables.path(table)).history(commits);
  }

  /** Delta's own id of the table: what a streaming checkpoint names its Delta source by. */
  public String deltaId(TableId table) {
    note(table, Kind.READ);
    return DeltaTable.forPath(spark, tables.path(table)).detail().select("id").first().getString(0);
  }

  /**
   * Deletes the table's log before {@code version} (commit files, checksums, checkpoints), after
   * checkpointing it there: earlier versions can no longer be read, nor their removed files'
   * statistics. Delta's own log cleanup, with the cutoff at the checkpoint instead of its
   * retention (whose files it keeps to the next day, or minute, at best): the call DROP FEATURE
   * makes, {@code private[delta]} in Scala and so public to Java, and checked by PrivacyForgetIT at
   * each Delta upgrade. Returns the version cut at.
   */
  public long dropHistoryBefore(TableId table, long version) {
    note(table, Kind.WRITE);
    DeltaLog log = DeltaLog.forTable(spark, tables.path(table));
    Snapshot at = log.getSnapshotAt(version, Option.empty(), Option.empty(), false);
    log.checkpoint(at, Option.empty());
    // A retention below zero puts the cutoff after now: every file before the checkpoint goes.
    log.cleanUpExpiredLogs(at, Option.empty(), Option.apply((Object) (-60_000L)), TruncationGranularity$.MODULE$.MINUTE());
    return version;
  }

  /** The newest version of the table. */
  public long latestVersion(TableId table) {
    note(table, Kind.READ);
    return DeltaLog.forTable(spark, tables.path(table)).update(false, Option.empty(), Option.empty()).version();
  }

  /** The handle for a merge, update or delete. */
  public DeltaTable forChange(TableId table) {
    note(table, Kind.WRITE);
    return DeltaTable.forPath(spark, tables.path(table));
  }

  /** Adds nullable columns, given as quoted-name-and-type DDL ({@link Sql#quote}). */
  public void addColumns(TableId table, String ddl) {
    note(table, Kind.WRITE);
    spark.sql("ALTER TABLE " + Sql.deltaTable(tables.path(table)) + " ADD COLUMNS (" + ddl + ")");
  }

  /** Replaces the whole table, or with {@code replaceWhere} only the rows matching it. */
  public void overwrite(TableId table, Dataset<Row> rows, String replaceWhere) {
    note(table, Kind.WRITE);
    var writer = rows.write().format("delta").mode("overwrite");
    if (replaceWhere != null) writer = writer.option("replaceWhere", replaceWhere);
    writer.save(tables.path(table));
  }

  /** Adds rows; for a job's micro-batches, {@link DeltaWrites#appendOnce} keeps a replayed batch from adding them twice. */
  public void append(TableId table, Dataset<Row> rows) {
    note(table, Kind.WRITE);
    rows.write().format("delta").mode("append").save(tables.path(table));
  }

  private void note(TableId table, Kind kind) {
    Consumer<Access> sink = recorder;
    if (sink != null) sink.accept(new Access(spark.sparkContext().getLocalProperty(JOB_PROPERTY), table, kind));
  }
}
