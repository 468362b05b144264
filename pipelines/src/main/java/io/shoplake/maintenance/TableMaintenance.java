package io.shoplake.maintenance;

import io.shoplake.Pipeline;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import java.io.PrintWriter;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps every registry table cheap to read: OPTIMIZE compacts the many small files that
 * frequent micro-batches leave; VACUUM deletes files no longer referenced, but only those
 * older than {@code shoplake.maintenance.vacuum-retention}, which is therefore how far back
 * analysts can time-travel (and how long a stopped streaming reader of a change feed may lag).
 *
 * <p>Reads/Writes: every table of {@link Pipeline#allTables} (Delta metadata and files only).
 * How to run: {@code shoplake maintain optimize|vacuum [--env ...]}, e.g. nightly from Airflow.
 */
public final class TableMaintenance {
  /**
   * Delta's default {@code delta.deletedFileRetentionDuration}. Delta's own VACUUM safety check
   * did not stop a shorter RETAIN here (Delta 4.4, path tables), so the floor is enforced here.
   */
  public static final Duration MIN_VACUUM_RETENTION = Duration.ofDays(7);

  private TableMaintenance() {}

  public static int optimize(SparkSession spark, ShoplakeConfig config, PrintWriter out) {
    return forEachTable(spark, config, out, path -> "OPTIMIZE " + Sql.deltaTable(path));
  }

  public static int vacuum(SparkSession spark, ShoplakeConfig config, PrintWriter out) {
    Duration retention = Duration.ofMillis(config.millis("shoplake.maintenance.vacuum-retention"));
    // A typo must not shorten the time-travel window (nor delete files a lagging stream still needs).
    if (retention.compareTo(MIN_VACUUM_RETENTION) < 0) {
      throw new IllegalArgumentException("shoplake.maintenance.vacuum-retention = " + retention.toHours()
          + "h is shorter than " + MIN_VACUUM_RETENTION.toDays() + " days: refused, it would cut time travel short");
    }
    long hours = retention.toHours();
    // VACUUM lists files in as many tasks as this setting says, 10,000 by default: minutes of
    // empty tasks on a small machine. Sized like the shuffles instead (4 locally, 200 on a cluster).
    spark.conf().set("spark.sql.sources.parallelPartitionDiscovery.parallelism",
        config.integer("shoplake.spark.shuffle-partitions"));
    out.println("VACUUM retention " + hours + " hours: time travel stays possible over that window");
    return forEachTable(spark, config, out, path -> "VACUUM " + Sql.deltaTable(path) + " RETAIN " + hours + " HOURS");
  }

  private static int forEachTable(SparkSession spark, ShoplakeConfig config, PrintWriter out,
      java.util.function.Function<String, String> statement) {
    Tables tables = Tables.from(config);
    int done = 0;
    for (TableDefinition def : Pipeline.allTables(config)) {
      String path = tables.path(def.id());
      if (!TableAccess.of(spark, tables).exists(def.id())) {
        out.println("skip " + def.id() + ": not written yet");
        continue;
      }
      long start = System.nanoTime();
      spark.sql(statement.apply(path)).collect();
      out.printf("ok   %s in %d ms%n", def.id(), (System.nanoTime() - start) / 1_000_000);
      done++;
    }
    out.flush();
    return done;
  }
}
