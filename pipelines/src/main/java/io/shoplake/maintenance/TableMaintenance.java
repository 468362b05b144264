package io.shoplake.maintenance;

import io.shoplake.Pipeline;
import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps every registry table cheap to read: OPTIMIZE compacts the many small files that
 * frequent micro-batches leave; VACUUM deletes files no longer referenced, but only those
 * older than {@link MaintenanceSettings#vacuumRetention}, which is therefore how far back
 * analysts can time-travel (and how long a stopped streaming reader of a change feed may lag).
 *
 * <p>Reads/Writes: every table of {@link Pipeline#allTables} (Delta metadata and files only).
 * How to run: {@code shoplake maintain optimize|vacuum [--env ...]}, e.g. nightly from Airflow.
 */
public final class TableMaintenance {
  private TableMaintenance() {}

  public static int optimize(SparkSession spark, Tables tables, List<TableDefinition> defs, PrintWriter out) {
    return forEachTable(spark, tables, defs, out, path -> "OPTIMIZE " + Sql.deltaTable(path));
  }

  public static int vacuum(SparkSession spark, Tables tables, List<TableDefinition> defs, MaintenanceSettings settings,
      PrintWriter out) {
    long hours = settings.vacuumRetention().toHours();
    spark.conf().set("spark.sql.sources.parallelPartitionDiscovery.parallelism", settings.listingParallelism());
    out.println("VACUUM retention " + hours + " hours: time travel stays possible over that window");
    return forEachTable(spark, tables, defs, out, path -> "VACUUM " + Sql.deltaTable(path) + " RETAIN " + hours + " HOURS");
  }

  private static int forEachTable(SparkSession spark, Tables tables, List<TableDefinition> defs, PrintWriter out,
      Function<String, String> statement) {
    int done = 0;
    for (TableDefinition def : defs) {
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
