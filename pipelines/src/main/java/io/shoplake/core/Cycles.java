package io.shoplake.core;

import java.io.Serializable;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Batch jobs that recompute a gold table from silver, run under the job contract. A
 * {@code rate-micro-batch} source supplies one tick per micro-batch: an available-now run is
 * exactly one cycle (even when silver did not change, since time alone moves recency and cart
 * deadlines), a continuous run one cycle per trigger interval. The tick's batch id comes from
 * the job's checkpoint, so a cycle that failed is retried, not skipped.
 */
public final class Cycles {
  private Cycles() {}

  /** One recomputation at a point in time. */
  @FunctionalInterface
  public interface Cycle extends Serializable {
    void run(Instant asOf) throws Exception;
  }

  public static StreamingQuery start(JobContext ctx, String jobName, Cycle cycle) throws Exception {
    Dataset<Row> ticks = ctx.spark().readStream().format("rate-micro-batch").option("rowsPerBatch", 1).load();
    return ctx.startForEachBatch(ticks, jobName, (batch, batchId) -> cycle.run(Instant.now()));
  }
}
