package io.shoplake.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.shoplake.core.JobGraph;
import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code shoplake maintain vacuum --erasure}: after an erasure, the old versions of every table it
 * can rewrite still hold the customer (time travel, change feed files, the log's statistics of
 * removed files). This removes them: deletion vectors purged into rewritten files, VACUUM of files
 * that left the table longer than {@link PrivacySettings#erasureVacuumRetention} ago (younger ones
 * may be a running job's files not yet committed), then the log before the oldest version a job
 * still reads. Time travel to before that point is gone, for everyone.
 */
public final class ErasedHistory {
  private final SparkSession spark;
  private final Tables tables;
  private final TableAccess access;
  private final PrivacySettings settings;
  private final JobGraph graph;
  private final int listingParallelism;
  private final List<TableId> erasable = new ArrayList<>();

  /** {@code listingParallelism}: tasks VACUUM lists files in ({@code MaintenanceSettings}). */
  public ErasedHistory(SparkSession spark, Tables tables, PrivacySettings settings, JobGraph graph,
      List<TableDefinition> allTables, int listingParallelism) {
    this.listingParallelism = listingParallelism;
    this.spark = spark;
    this.tables = tables;
    this.access = TableAccess.of(spark, tables);
    this.settings = settings;
    this.graph = graph;
    erasable.addAll(tables.bronzeTables());
    erasable.add(Tables.QUARANTINE);
    allTables.stream().filter(d -> d.erasure().isPresent()).forEach(d -> erasable.add(d.id()));
  }

  /**
   * Returns the tables whose history still holds an erasure's commit, because a job has not read
   * past it yet (run again once it has).
   */
  public List<String> vacuum(PrintWriter out) throws IOException {
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String before = spark.conf().get(check, "true");
    spark.conf().set(check, "false");
    spark.conf().set("spark.sql.sources.parallelPartitionDiscovery.parallelism", listingParallelism);
    List<String> held = new ArrayList<>();
    try {
      List<TableId> present = erasable.stream().filter(access::exists).toList();
      Map<TableId, Long> needed = new ReadersPassed(access, tables, graph).oldestNeeded(present);
      double hours = settings.erasureVacuumRetention().toMillis() / 3_600_000.0;
      out.printf("VACUUM retention %s hours, then each log cut at the oldest version a job still reads%n", hours);
      for (TableId table : present) {
        long started = System.nanoTime();
        String delta = Sql.deltaTable(access.location(table));
        spark.sql("REORG TABLE " + delta + " APPLY (PURGE)").collect();
        spark.sql("VACUUM " + delta + " RETAIN " + hours + " HOURS").collect();
        long latest = access.latestVersion(table);
        long cut = Math.min(latest, needed.getOrDefault(table, latest));
        // An erasure's own commits carry the statistics of the files they replaced: they must go too.
        Row erased = access.history(table).filter(col("userMetadata").startsWith(CustomerErasure.MARK))
            .agg(max("version")).first();
        access.dropHistoryBefore(table, cut);
        boolean heldBack = !erased.isNullAt(0) && cut <= erased.getLong(0);
        if (heldBack) held.add(table + " from version " + cut + ", an erasure's at " + erased.getLong(0));
        out.printf("ok   %s: history from version %d%s, in %d ms%n", table, cut,
            heldBack ? ", which holds an erasure's commit: a job has not read past it" : "",
            (System.nanoTime() - started) / 1_000_000);
      }
    } finally {
      spark.conf().set(check, before);
    }
    out.flush();
    return held;
  }
}
