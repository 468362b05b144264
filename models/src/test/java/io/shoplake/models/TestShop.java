package io.shoplake.models;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.devstack.simulator.Tastes;
import io.shoplake.models.interactions.InteractionEvents;
import io.shoplake.models.synthetic.SyntheticShop;
import io.shoplake.models.training.AlsParams;
import io.shoplake.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One generated shop for the model tests: customers with the simulator's hidden tastes, 60 days
 * of sessions and orders. Built once per JVM, seeded.
 */
public final class TestShop {
  public static final long SEED = 7;
  public static final int CATEGORIES = 10;
  private static SyntheticShop shop;
  private static Dataset<Row> events;

  private TestShop() {}

  public static synchronized SyntheticShop shop() {
    if (shop == null) {
      List<String> categories = SyntheticShop.categories(CATEGORIES);
      shop = new SyntheticShop(new SyntheticShop.Options(400, 200, CATEGORIES, 8000, 60, Tastes.PREFERRED_VIEW_PERCENT,
          SEED), customer -> Tastes.preferredCategory(customer, SEED, categories));
    }
    return shop;
  }

  public static SparkSession spark() {
    return SharedSpark.get();
  }

  /** Base configuration with one hyperparameter candidate (no search: tests stay fast). */
  public static ShoplakeConfig config(String warehouse, AlsParams params) {
    return ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse))
        .with("shoplake.models.training.ranks", List.of(params.rank()))
        .with("shoplake.models.training.reg-params", List.of(params.regParam()))
        .with("shoplake.models.training.alphas", List.of(params.alpha()))
        .with("shoplake.models.training.max-iters", List.of(params.maxIter()));
  }

  public static ModelsSettings settings(AlsParams params) {
    return ModelsSettings.from(config("file:/unused", params));
  }

  /** The shop's clickstream and orders through the production interaction builders. */
  public static synchronized Dataset<Row> events(ModelsSettings settings) {
    if (events == null) {
      SparkSession spark = spark();
      events = InteractionEvents.fromClickstream(shop().clickstream(spark), settings)
          .unionByName(InteractionEvents.fromOrders(shop().orders(spark), shop().orderItems(spark), settings))
          .cache();
    }
    return events;
  }
}
