package io.shoplake.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcApplyJob;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of the silver apply (decode, latest per key, MERGE, event log) into
 * {@code silver.inventory} holding {@code rows} rows: batches of Debezium update events for
 * keys spread over the whole table, as bronze holds them. The first batch warms up and is
 * not counted. Prints changes/s per batch and overall.
 */
public final class ApplyBenchmark {
  public record Result(long tableRows, long changes, double seconds, List<Double> perBatch) {
    public double changesPerSecond() {
      return changes / seconds;
    }
  }

  private static final int LOCATIONS = 4;

  private ApplyBenchmark() {}

  public static Result run(SparkSession spark, ShoplakeConfig config, long rows, int batchSize, int batches,
      PrintStream out) {
    Tables tables = Tables.from(config);
    TableBootstrap.ensure(spark, tables, Pipeline.tables(config));
    CdcTableSpec spec = CdcTableSpec.from(config, "inventory");
    String silver = tables.path(spec.silverTable());
    long started = System.nanoTime();
    spark.range(rows).select(
            col("id").divide(LOCATIONS).cast("long").as("product_id"),
            concat(lit("L"), col("id").mod(LOCATIONS)).as("location_id"),
            lit(100).as("on_hand"), lit(0).as("reserved"), current_timestamp().as("updated_at"),
            lit(false).as("_is_deleted"), lit(1L).as("_lsn"), current_timestamp().as("_source_ts"),
            current_timestamp().as("_applied_at"))
        .write().format("delta").mode(SaveMode.Append).save(silver);
    out.printf("silver.inventory loaded with %,d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);

    List<String> changeTables = new ArrayList<>();
    for (int b = 0; b <= batches; b++) {
      String path = tables.warehouse() + "/bench/changes_" + b;
      changes(spark, rows, batchSize, b).write().format("delta").mode(SaveMode.Overwrite).save(path);
      changeTables.add(path);
    }

    CdcApplyJob job = new CdcApplyJob(spec);
    List<Double> perBatch = new ArrayList<>();
    double seconds = 0;
    for (int b = 0; b <= batches; b++) {
      Dataset<Row> batch = spark.read().format("delta").load(changeTables.get(b));
      long t0 = System.nanoTime();
      job.applyBatch(spark, tables, null, batch, b);
      double s = (System.nanoTime() - t0) / 1e9;
      out.printf("  batch %d%s: %,d changes in %.2f s = %,.0f changes/s%n", b, b == 0 ? " (warm-up)" : "", batchSize, s,
          batchSize / s);
      if (b > 0) {
        perBatch.add(batchSize / s);
        seconds += s;
      }
    }
    return new Result(rows, (long) batchSize * batches, seconds, perBatch);
  }

  /**
   * Update events for distinct keys drawn pseudo-randomly over the table, with LSNs above
   * everything applied before, shaped as bronze rows of the inventory CDC topic.
   */
  static Dataset<Row> changes(SparkSession spark, long rows, int batchSize, int batch) {
    long lsnBase = 1_000_000_000L * (batch + 1);
    // A multiplicative hash of the position spreads a batch's keys over the table, without repeats.
    String key = "pmod(id * 2654435761 + " + batch * 7919L + ", " + rows + ")";
    String image = "named_struct('product_id', cast(k div " + LOCATIONS + " as bigint), 'location_id', concat('L', pmod(k, "
        + LOCATIONS + ")), 'on_hand', %s, 'reserved', 0, 'updated_at', '2026-11-25T10:00:00.000000Z')";
    return spark.range(batchSize)
        .withColumn("k", expr(key))
        .select(
            expr("to_json(named_struct('product_id', cast(k div " + LOCATIONS + " as bigint), 'location_id', concat('L', pmod(k, "
                + LOCATIONS + "))))").as("key"),
            expr("to_json(named_struct('before', " + String.format(image, "100") + ", 'after', "
                + String.format(image, "cast(100 - pmod(id, 50) as int)") + ", 'source', named_struct('lsn', " + lsnBase
                + " + id, 'txId', id, 'ts_ms', unix_millis(current_timestamp()), 'snapshot', 'false'), 'op', 'u', "
                + "'ts_ms', unix_millis(current_timestamp())))").as("value"),
            lit("shop.inventory").as("topic"), lit(0).as("partition"), col("id").plus(lsnBase).as("offset"),
            current_timestamp().as("kafka_timestamp"), current_timestamp().as("ingest_time"), lit((long) batch).as("batch_id"));
  }

  /** Median of the per-batch rates: robust to one batch hit by a GC pause or a file listing. */
  public static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
