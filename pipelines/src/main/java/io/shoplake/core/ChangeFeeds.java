package io.shoplake.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Reading a Delta change feed batch as "the newest state of each changed key". */
public final class ChangeFeeds {
  private ChangeFeeds() {}

  /**
   * Keeps inserts and update post-images, newest per key by {@code versionColumn} then by
   * commit, and drops the change-feed metadata columns.
   */
  public static Dataset<Row> latestPerKey(Dataset<Row> changeFeed, String versionColumn, String... keys) {
    Column[] partition = Arrays.stream(keys).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return changeFeed
        .filter(col("_change_type").isin("insert", "update_postimage"))
        .withColumn("_rank", row_number().over(Window.partitionBy(partition)
            .orderBy(col(versionColumn).desc(), col("_commit_version").desc())))
        .filter(col("_rank").equalTo(1))
        .drop("_rank", "_change_type", "_commit_version", "_commit_timestamp");
  }
}
