package io.shoplake.models.interactions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * User-item-rating files as interaction events (the rating is the weight), so the same training
 * and metrics run on public data sets.
 */
public final class InteractionFiles {
  /** movielens: MovieLens {@code u.data}, tab-separated user, item, rating, unix seconds, no header.
   *  csv: a header naming user, item, rating and optionally timestamp (unix seconds). */
  public enum Format { movielens, csv }

  private static final StructType MOVIELENS = new StructType()
      .add("user", DataTypes.LongType).add("item", DataTypes.LongType)
      .add("rating", DataTypes.DoubleType).add("timestamp", DataTypes.LongType);

  private InteractionFiles() {}

  public static Dataset<Row> read(SparkSession spark, String path, Format format) {
    Dataset<Row> raw = switch (format) {
      case movielens -> spark.read().schema(MOVIELENS).option("sep", "\t").option("mode", "FAILFAST").csv(path);
      case csv -> spark.read().option("header", "true").option("inferSchema", "true").option("mode", "FAILFAST").csv(path);
    };
    for (String required : new String[] {"user", "item", "rating"}) {
      if (!java.util.Arrays.asList(raw.columns()).contains(required)) {
        throw new IllegalArgumentException(path + " has no '" + required + "' column (columns: "
            + String.join(", ", raw.columns()) + ")");
      }
    }
    // Without timestamps every event is at the epoch: only the random split makes sense then.
    var ts = java.util.Arrays.asList(raw.columns()).contains("timestamp")
        ? col("timestamp").cast("long").cast("timestamp") : lit(0L).cast("timestamp");
    return raw.select(col("user").cast("int").as("user_id"), col("item").cast("int").as("item_id"),
            col("rating").cast("double").as("weight"), ts.as("event_ts"))
        .filter(col("weight").gt(0));
  }
}
