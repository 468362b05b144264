package io.shoplake.models;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.models.interactions.ShopInteractions;
import io.shoplake.models.registry.PromotionGate;
import io.shoplake.models.registry.RegistryEntry;
import io.shoplake.models.scoring.ScoringRun;
import io.shoplake.models.scoring.ShopScoringInputs;
import io.shoplake.models.synthetic.SyntheticShop;
import io.shoplake.models.training.AlsParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train, gate, promote, refuse, roll back and score, on the test shop written as silver tables:
 * each step visible in gold.model_registry, the scores in gold.recommendations.
 */
class ModelLifecycleTest {
  // On the test shop, alpha 20 over-trusts repeated views: good enough to beat popularity, but
  // alpha 5 does clearly better (measured: precision@10 0.139 vs 0.174, popularity 0.093).
  static final AlsParams WEAK = new AlsParams(10, 0.1, 20.0, 10);
  static final AlsParams STRONG = new AlsParams(10, 0.1, 5.0, 10);
  static final AlsParams DELIBERATELY_WORSE = new AlsParams(1, 0.1, 20.0, 1);
  /** Planted as unavailable everywhere: the best sellers of two categories. */
  static final List<Long> SOLD_OUT = List.of(10L, 11L);

  @TempDir Path warehouse;

  @Test
  void gateRefusesAWorseModelPromotesABetterOneRollbackRestoresThePreviousChampionAndScoringUsesIt() {
    ShoplakeConfig config = TestShop.config(warehouse.toUri().toString(), STRONG);
    ModelsSettings settings = ModelsSettings.from(config);
    Tables tables = Tables.from(config);
    SparkSession spark = TestShop.spark();
    writeSilver(spark, tables);
    ModelLifecycle lifecycle = new ModelLifecycle(spark, tables, settings);
    Dataset<Row> events = ShopInteractions.events(spark, tables, settings).cache();

    assertThatThrownBy(lifecycle::rollback).hasMessageContaining("no champion");
    RegistryEntry first = lifecycle.train(events, List.of(WEAK));
    assertThat(first.status()).isEqualTo(RegistryEntry.CANDIDATE);
    assertThat(Files.isDirectory(Path.of(java.net.URI.create(first.modelPath())))).isTrue();
    PromotionGate.Decision firstDecision = lifecycle.promote(first.version());
    assertThat(firstDecision.promote()).as(firstDecision.reason()).isTrue();

    RegistryEntry worse = lifecycle.train(events, List.of(DELIBERATELY_WORSE));
    assertThat(worse.comparedChampion()).isEqualTo(first.version());
    PromotionGate.Decision refused = lifecycle.promote(worse.version());
    assertThat(refused.promote()).isFalse();
    assertThat(refused.reason()).contains(settings.gateMetric()).contains("does not beat");

    RegistryEntry better = lifecycle.train(events, List.of(STRONG));
    PromotionGate.Decision promoted = lifecycle.promote(better.version());
    assertThat(promoted.promote()).as(promoted.reason()).isTrue();
    assertThat(statuses(spark)).containsExactly(
        List.of(first.version(), RegistryEntry.RETIRED), List.of(worse.version(), RegistryEntry.REFUSED),
        List.of(better.version(), RegistryEntry.CHAMPION));

    RegistryEntry restored = lifecycle.rollback();
    assertThat(restored.version()).isEqualTo(first.version());
    assertThat(statuses(spark)).containsExactly(
        List.of(first.version(), RegistryEntry.CHAMPION), List.of(worse.version(), RegistryEntry.REFUSED),
        List.of(better.version(), RegistryEntry.ROLLED_BACK));

    ScoringRun.Result scored = ScoringRun.run(spark, tables, settings, ShopScoringInputs.load(spark, tables, settings));
    assertThat(scored.modelVersion()).isEqualTo(first.version());
    Dataset<Row> recs = spark.read().format("delta").load(tables.path(ModelTables.RECOMMENDATIONS));
    assertThat(recs.select("model_version").distinct().collectAsList()).extracting(r -> r.getLong(0))
        .containsExactly(first.version());
    assertThat(recs.select("customer_id").distinct().count()).as("every customer").isEqualTo(400);
    assertThat(recs.filter(col("product_id").isin(SOLD_OUT.toArray())).count()).as("sold-out products").isZero();
    assertThat(scored.similarItems()).isPositive();
  }

  /** The test shop as the CDC jobs leave it, plus availability with two products sold out everywhere. */
  private static void writeSilver(SparkSession spark, Tables tables) {
    SyntheticShop shop = TestShop.shop();
    write(shop.orders(spark), tables, ModelTables.SILVER_ORDERS);
    write(shop.orderItems(spark), tables, ModelTables.SILVER_ORDER_ITEMS);
    write(shop.products(spark), tables, ModelTables.SILVER_PRODUCTS);
    write(shop.customers(spark), tables, ModelTables.SILVER_CUSTOMERS);
    write(shop.clickstream(spark), tables, ModelTables.SILVER_CLICKSTREAM);
    write(shop.products(spark).select(col("product_id"),
            col("product_id").isin(SOLD_OUT.toArray()).cast("int").multiply(-1).plus(1).cast("long").as("available")),
        tables, Tables.GOLD_PRODUCT_AVAILABILITY);
  }

  private static void write(Dataset<Row> rows, Tables tables, TableId table) {
    rows.write().format("delta").save(tables.path(table));
  }

  /** Read through the table's registry name, as an analyst would. */
  private static List<List<Object>> statuses(SparkSession spark) {
    return spark.sql("SELECT model_version, status FROM " + ModelTables.MODEL_REGISTRY + " ORDER BY model_version")
        .collectAsList().stream().map(r -> List.<Object>of(r.getLong(0), r.getString(1))).toList();
  }
}
