package io.shoplake.models.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Products like a product: cosine similarity of the model's item factors. A product the model
 * does not know (new in the catalogue) gets the most popular products of its category. Products
 * unavailable everywhere are never suggested.
 */
public final class SimilarItems {
  public static final StructType SCHEMA = new StructType()
      .add("product_id", DataTypes.LongType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("similar_product_id", DataTypes.LongType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("source", DataTypes.StringType, false)
      .add("model_version", DataTypes.LongType, false)
      .add("generated_at", DataTypes.TimestampType, false);

  private SimilarItems() {}

  public static Dataset<Row> score(ALSModel model, long modelVersion, ScoringInputs in, int n) {
    // Unit-length factors, so a dot product is the cosine. Every pair is compared: fine for
    // catalogues of tens of thousands of products; beyond that an approximate index is needed.
    Dataset<Row> unit = model.itemFactors().select(col("id").as("item_id"),
        expr("transform(features, x -> x / sqrt(aggregate(features, 0D, (a, v) -> a + v * v)))").as("f"));
    Dataset<Row> targets = unit.join(in.unavailable().select("item_id"), new String[] {"item_id"}, "left_anti")
        .select(col("item_id").as("other"), col("f").as("g"));
    Dataset<Row> fromModel = unit.crossJoin(targets).filter(col("item_id").notEqual(col("other")))
        .select(col("item_id").as("product"), col("other").as("item_id"),
            expr("aggregate(zip_with(f, g, (x, y) -> x * y), 0D, (a, v) -> a + v)").as("score"),
            lit(Recommendations.ALS).as("source"))
        // An all-zero factor has no direction (0/0); NaN would sort above every real score.
        .filter(not(isnan(col("score"))));

    Dataset<Row> catalogue = in.products().select("item_id", "category");
    Dataset<Row> coldProducts = catalogue.join(unit.select("item_id"), new String[] {"item_id"}, "left_anti");
    Dataset<Row> popular = Recommendations.popularity(in.interactions())
        .join(in.unavailable().select("item_id"), new String[] {"item_id"}, "left_anti")
        .join(catalogue, "item_id");
    Dataset<Row> fallback = coldProducts.select(col("item_id").as("product"), col("category"))
        .join(Recommendations.top(popular, n + 1, "category").drop("rank"), "category")
        .filter(col("product").notEqual(col("item_id")))
        .select(col("product"), col("item_id"), col("score"), lit(Recommendations.POPULAR_IN_CATEGORY).as("source"));

    return Recommendations.top(fromModel.unionByName(fallback), n, "product")
        .select(col("product").cast("long").as("product_id"), col("rank"),
            col("item_id").cast("long").as("similar_product_id"), col("score"), col("source"),
            lit(modelVersion).as("model_version"), current_timestamp().as("generated_at"));
  }
}
