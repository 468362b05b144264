package io.shoplake.bench;

import io.shoplake.Pipeline;
import io.shoplake.cdc.AcceptedChanges;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.core.ServiceSettings;
import io.shoplake.core.Percentiles;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.inventory.InventoryAvailabilityJob;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lakehouse path's gold hop on its own, without Kafka, the devstack or other jobs: what one
 * micro-batch of {@code gold.inventory_availability} costs (decode and check the bronze rows,
 * newest change per key, the MERGE), on a machine that does nothing else. Its batches are
 * inventory updates in bronze's shape, as {@code bench freshness} commits them; the table starts
 * from a snapshot of every key. Batch inputs are materialised before the clock starts, as
 * the stream's are read from bronze's files.
 */
public final class GoldHopBenchmark {
  private GoldHopBenchmark() {}

  /** Seconds per measured batch. */
  public static List<Double> run(SparkSession spark, ShoplakeConfig config, long keys, int changes, int batches,
      PrintStream out) throws Exception {
    Tables tables = Tables.from(config);
    TableBootstrap.ensure(spark, tables, Pipeline.tables(config));
    CdcTableSpec inventory = CdcTableSpec.from(config, "inventory");
    Pseudonymizer pseudonymizer = Pseudonymizer.forTable(inventory, ServiceSettings.from(config)::piiKey);
    InventoryAvailabilityJob.updateBatch(spark, tables,
        AcceptedChanges.newestImages(ApplyBenchmark.changes(spark, keys, (int) keys, 0), inventory, pseudonymizer));
    out.printf("gold availability loaded with %,d product x location rows%n", keys);

    List<Double> seconds = new ArrayList<>();
    // The first batch after the snapshot still compiles and warms the JIT: not counted.
    for (int b = 1; b <= batches + 1; b++) {
      Dataset<Row> bronze = ApplyBenchmark.changes(spark, keys, changes, b).localCheckpoint();
      long t0 = System.nanoTime();
      InventoryAvailabilityJob.updateBatch(spark, tables, AcceptedChanges.newestImages(bronze, inventory, pseudonymizer));
      double s = (System.nanoTime() - t0) / 1e9;
      out.printf("  batch %d%s: %,d changes in %.2f s%n", b, b == 1 ? " (warm-up)" : "", changes, s);
      if (b > 1) seconds.add(s);
    }
    return seconds;
  }

  /** Nearest-rank percentile of the measured seconds. */
  public static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return Percentiles.nearestRank(sorted, p);
  }
}
