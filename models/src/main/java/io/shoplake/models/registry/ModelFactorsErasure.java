package io.shoplake.models.registry;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.ErasureTarget;
import io.shoplake.models.ModelTables;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The customer's row of user factors in every trained model version kept in the warehouse: a
 * model scores a customer from it. The item factors their interactions helped shape stay until
 * the next training, which no longer sees them (docs/recommendations.md).
 */
public final class ModelFactorsErasure implements ErasureTarget {
  @Override
  public String name() {
    return "user factors of the trained models";
  }

  @Override
  public long erase(Context context) throws Exception {
    Path models = new Path(ModelTables.modelPath(context.tables(), 0)).getParent();
    FileSystem fs = models.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
    if (!fs.exists(models)) return 0;
    long erased = 0;
    for (FileStatus version : fs.listStatus(models)) {
      Path factors = new Path(version.getPath(), "userFactors");
      if (!fs.exists(factors)) continue;
      Dataset<Row> all = context.spark().read().parquet(factors.toString());
      long rows = all.filter(col("id").equalTo(context.customerId())).count();
      if (rows == 0) continue;
      Path rewritten = new Path(version.getPath(), "userFactors.erasing");
      fs.delete(rewritten, true);
      all.filter(col("id").notEqual(context.customerId())).write().parquet(rewritten.toString());
      if (!fs.delete(factors, true) || !fs.rename(rewritten, factors)) {
        throw new IllegalStateException("could not replace " + factors + " by " + rewritten);
      }
      erased += rows;
    }
    return erased;
  }
}
