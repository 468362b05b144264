package io.shoplake.core;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Delta writes that stay exactly-once when Spark replays a micro-batch after a crash. */
public final class DeltaWrites {
  private DeltaWrites() {}

  /**
   * Appends with Delta's idempotent-write options: a second append with the same application
   * id and a version not above the last committed one is skipped by Delta itself.
   */
  public static void appendOnce(Dataset<Row> rows, String path, String appId, long batchId) {
    rows.write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("txnAppId", appId)
        .option("txnVersion", batchId)
        .save(path);
  }
}
