package io.shoplake.models.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cli.ShoplakeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import io.shoplake.models.TestShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void launcherFindsTheModelsCommandAndListsItsSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("models");

    assertThat(run("models", "--help")).isZero();
    assertThat(out.toString()).contains("train", "evaluate", "promote", "rollback", "recommend", "benchmark");
  }

  @Test
  void evaluateRejectsAnUnknownFormatWithUsage() {
    assertThat(run("models", "evaluate", "--interactions", "x", "--format", "parquet")).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: shoplake models evaluate");
  }

  /** A MovieLens-format file made from the test shop's order lines (user, item, rating 1, unix time). */
  @Test
  void evaluatePrintsModelAndBaselineMetricsForAMovieLensFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("u.data");
    var spark = TestShop.spark();
    var shop = TestShop.shop();
    List<String> lines = shop.orders(spark).join(shop.orderItems(spark), "order_id")
        .selectExpr("customer_id", "product_id", "CAST(created_at AS LONG)").collectAsList().stream()
        .map(r -> r.getLong(0) + "\t" + r.getLong(1) + "\t1\t" + r.getLong(2)).toList();
    Files.write(file, lines);

    int code = run("models", "evaluate", "--interactions", file.toString(), "--format", "movielens",
        "--split", "random-per-user", "--test-fraction", "0.25", "--conf", "shoplake.models.training.ranks.0=8",
        "--conf", "shoplake.models.training.reg-params.0=0.1", "--conf", "shoplake.models.training.alphas.0=5",
        "--conf", "shoplake.models.training.max-iters.0=5");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("random-per-user", "1 tried", "precision@10", "ndcg@10", "map@10",
        "coverage@10", "popularity", "users evaluated");
  }
}
