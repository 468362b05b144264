package io.shoplake.models.scoring;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.models.ModelsSettings;
import io.shoplake.models.TestShop;
import io.shoplake.models.interactions.InteractionEvents;
import io.shoplake.models.interactions.Interactions;
import io.shoplake.models.synthetic.SyntheticShop;
import io.shoplake.models.training.AlsParams;
import io.shoplake.models.training.AlsTrainer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the storefront must never show, and what customers the model does not know still get. */
class RecommendationsTest {
  static final int TOP_N = 10;
  /** Never customers of the test shop (ids 1..400). */
  static final int NEW_CUSTOMER = 5001;
  static final int NEW_BROWSER = 5002;
  static ModelsSettings settings;
  static ALSModel model;
  static Dataset<Row> interactions;
  static Dataset<Row> bought;
  static Set<Integer> popular;

  @BeforeAll
  static void train() {
    settings = TestShop.settings(new AlsParams(10, 0.1, 5.0, 10));
    SparkSession spark = TestShop.spark();
    Dataset<Row> events = TestShop.events(settings);
    interactions = Interactions.aggregate(events, SyntheticShop.END, settings.halfLifeMillis())
        .filter(col("user_id").lt(InteractionEvents.ANONYMOUS_BASE)).cache();
    model = AlsTrainer.fit(interactions, new AlsParams(10, 0.1, 5.0, 10), 42);
    bought = InteractionEvents.orderLines(TestShop.shop().orders(spark), TestShop.shop().orderItems(spark), settings)
        .select("user_id", "item_id").distinct().cache();
    // The products the model and popularity push most: the ones worth planting as unavailable.
    popular = interactions.groupBy("item_id").count().orderBy(col("count").desc(), col("item_id")).limit(5)
        .collectAsList().stream().map(r -> r.getInt(0)).collect(Collectors.toSet());
  }

  private static ScoringInputs inputs(SparkSession spark, Dataset<Row> customers, Dataset<Row> extraInteractions) {
    Dataset<Row> products = TestShop.shop().products(spark).select(col("product_id").cast("int").as("item_id"), col("category"));
    Dataset<Row> unavailable = spark.createDataset(List.copyOf(popular), Encoders.INT()).toDF("item_id");
    return new ScoringInputs(customers, interactions.unionByName(extraInteractions), bought, products, unavailable);
  }

  @Test
  void neverRecommendsBoughtOrUnavailableProductsAndStillFillsTheList() {
    SparkSession spark = TestShop.spark();
    Dataset<Row> customers = interactions.select("user_id").distinct();
    Dataset<Row> recs = Recommendations.score(model, 3, inputs(spark, customers, interactions.limit(0)), TOP_N).cache();

    assertThat(bought.count()).as("planted purchases").isGreaterThan(500);
    assertThat(recs.join(bought.withColumnRenamed("user_id", "customer_id").withColumnRenamed("item_id", "product_id"),
        new String[] {"customer_id", "product_id"}).count()).as("bought products recommended").isZero();
    assertThat(recs.filter(col("product_id").isin(popular.toArray())).count()).as("unavailable products").isZero();
    assertThat(recs.groupBy("customer_id").count().filter(col("count").notEqual(TOP_N)).count())
        .as("customers without a full list").isZero();
    assertThat(recs.select("source", "model_version").distinct().collectAsList().toString()).isEqualTo("[[als,3]]");
  }

  @Test
  void customersTheModelDoesNotKnowGetPopularProductsOfTheirCategoryOrOfTheShop() {
    SparkSession spark = TestShop.spark();
    // The new browser has viewed one product of category-3 since training.
    long product = 13; // 13 % 10 = category-3
    Dataset<Row> recent = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(NEW_BROWSER, (int) product, 1.0,
            new java.sql.Timestamp(0))), interactions.schema());
    Dataset<Row> customers = spark.createDataset(List.of(NEW_CUSTOMER, NEW_BROWSER), Encoders.INT()).toDF("user_id");
    List<Row> recs = Recommendations.score(model, 3, inputs(spark, customers, recent), TOP_N)
        .orderBy("customer_id", "rank").collectAsList();

    List<Row> browser = recs.stream().filter(r -> r.getLong(0) == NEW_BROWSER).toList();
    assertThat(browser).hasSize(TOP_N).allSatisfy(r -> {
      assertThat(r.getString(4)).isEqualTo(Recommendations.POPULAR_IN_CATEGORY);
      assertThat(r.getLong(2) % TestShop.CATEGORIES).as("category-3 product").isEqualTo(3);
    });
    List<Row> newcomer = recs.stream().filter(r -> r.getLong(0) == NEW_CUSTOMER).toList();
    assertThat(newcomer).hasSize(TOP_N).allSatisfy(r -> assertThat(r.getString(4)).isEqualTo(Recommendations.POPULAR));
    assertThat(recs).noneMatch(r -> popular.contains((int) r.getLong(2)));
  }

  @Test
  void similarItemsComeFromTheSameTasteAndSkipUnavailableProducts() {
    SparkSession spark = TestShop.spark();
    Dataset<Row> similar = SimilarItems.score(model, 3, inputs(spark, interactions.select("user_id").limit(0),
        interactions.limit(0)), 5).cache();

    assertThat(similar.filter(col("similar_product_id").isin(popular.toArray())).count()).isZero();
    assertThat(similar.filter(col("product_id").equalTo(col("similar_product_id"))).count()).isZero();
    // Tastes are by category, so a product's neighbours in factor space are mostly of its category.
    double sameCategory = similar.filter(col("product_id").mod(TestShop.CATEGORIES)
        .equalTo(col("similar_product_id").mod(TestShop.CATEGORIES))).count() / (double) similar.count();
    assertThat(sameCategory).isGreaterThan(0.6);
  }
}
