package io.shoplake.models.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Top-N products per customer: the model's ranking for customers it knows; for the others the
 * most popular products of the category they interacted with most, or of the whole shop when
 * they have not interacted yet. Bought and unavailable products are removed before the top N
 * is taken, so every customer still gets N when the catalogue allows.
 */
public final class Recommendations {
  public static final String ALS = "als";
  public static final String POPULAR_IN_CATEGORY = "popular_in_category";
  public static final String POPULAR = "popular";

  public static final StructType SCHEMA = new StructType()
      .add("customer_id", DataTypes.LongType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("product_id", DataTypes.LongType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("source", DataTypes.StringType, false)
      .add("model_version", DataTypes.LongType, false)
      .add("generated_at", DataTypes.TimestampType, false);

  private Recommendations() {}

  public static Dataset<Row> score(ALSModel model, long modelVersion, ScoringInputs in, int topN) {
    Dataset<Row> known = in.customers().join(model.userFactors().select(col("id").as("user_id")), "user_id");
    Dataset<Row> cold = in.customers().join(known, new String[] {"user_id"}, "left_anti");
    int n = candidatesNeeded(in, topN, model.itemFactors().count());
    Dataset<Row> fromModel = model.recommendForUserSubset(known, n)
        .select(col("user_id"), explode(col("recommendations")).as("r"))
        .select(col("user_id"), col("r.item_id").as("item_id"), col("r.rating").cast("double").as("score"),
            lit(ALS).as("source"));
    Dataset<Row> fallback = Popular.forCustomers(cold, in, n);
    return top(excluded(fromModel.unionByName(fallback), in), topN, "user_id")
        .select(col("user_id").cast("long").as("customer_id"), col("rank"), col("item_id").cast("long").as("product_id"),
            col("score"), col("source"), lit(modelVersion).as("model_version"), current_timestamp().as("generated_at"));
  }

  /** Enough candidates per customer that N remain after the exclusions. */
  static int candidatesNeeded(ScoringInputs in, int topN, long catalogue) {
    Row most = in.bought().groupBy("user_id").agg(count(lit(1)).as("n")).agg(max("n")).first();
    long maxBought = most.isNullAt(0) ? 0 : most.getLong(0);
    long unavailable = in.unavailable().count();
    return (int) Math.max(1, Math.min(catalogue, topN + maxBought + unavailable));
  }

  /** Drops bought and unavailable products. */
  static Dataset<Row> excluded(Dataset<Row> candidates, ScoringInputs in) {
    return candidates
        .join(in.unavailable().select("item_id"), new String[] {"item_id"}, "left_anti")
        .join(in.bought().select("user_id", "item_id"), new String[] {"user_id", "item_id"}, "left_anti");
  }

  /** The best {@code n} rows per key by score, equal scores by item id; adds {@code rank} from 1. */
  static Dataset<Row> top(Dataset<Row> candidates, int n, String key) {
    Column rank = row_number().over(Window.partitionBy(key).orderBy(col("score").desc(), col("item_id")));
    return candidates.withColumn("rank", rank).filter(col("rank").leq(n));
  }

  /** Popularity, in the baseline's sense: distinct users per item. */
  static Dataset<Row> popularity(Dataset<Row> interactions) {
    return interactions.groupBy("item_id").agg(countDistinct("user_id").cast("double").as("score"));
  }

  /** Cold-start candidates, kept apart so the rule reads on its own. */
  static final class Popular {
    private Popular() {}

    static Dataset<Row> forCustomers(Dataset<Row> cold, ScoringInputs in, int n) {
      Dataset<Row> available = popularity(in.interactions())
          .join(in.unavailable().select("item_id"), new String[] {"item_id"}, "left_anti")
          .join(in.products().select("item_id", "category"), "item_id");
      Dataset<Row> byCategory = top(available, n, "category").drop("rank");
      Dataset<Row> overall = top(available.withColumn("_all", lit(1)), n, "_all").drop("rank", "_all", "category");
      // The category a cold customer interacted with most (by confidence); none if they have not yet.
      Dataset<Row> taste = top(in.interactions().join(cold, "user_id")
              .join(in.products().select("item_id", "category"), "item_id")
              .groupBy("user_id", "category").agg(sum("confidence").as("score"))
              .withColumn("item_id", lit(0)), 1, "user_id")
          .select("user_id", "category");
      Dataset<Row> withTaste = cold.join(taste, "user_id")
          .join(byCategory, "category")
          .select(col("user_id"), col("item_id"), col("score"), lit(POPULAR_IN_CATEGORY).as("source"));
      Dataset<Row> noTaste = cold.join(taste, new String[] {"user_id"}, "left_anti")
          .crossJoin(overall)
          .select(col("user_id"), col("item_id"), col("score"), lit(POPULAR).as("source"));
      return withTaste.unionByName(noTaste);
    }
  }
}
