package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.TableAccess;
import io.shoplake.models.ModelTables;
import io.shoplake.models.scoring.ScoringRun;
import io.shoplake.models.scoring.ServingPublisher;
import io.shoplake.models.scoring.ShopScoringInputs;
import io.shoplake.core.RedisSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = {"Score customers and products with the champion.",
        "Top shoplake.models.scoring.top-n per customer, without products they bought or that are",
        "unavailable everywhere; customers the model does not know get the most popular products of",
        "their category. Similar products per product. Replaces gold.recommendations and",
        "gold.similar_items. --publish also writes them to Redis (<prefix>:recommendations:<customer_id>,",
        "<prefix>:similar:<product_id>, field 'value') and to shoplake.models.serving.*-topic."})
final class RecommendCommand implements Callable<Integer> {
  @Option(names = "--publish", description = "Publish to Redis and Kafka after writing the tables.")
  boolean publish;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ModelsSession s = ModelsSession.open(configOptions.load());
    ScoringRun.Result r = ScoringRun.run(s.spark(), s.tables(), s.settings(),
        ShopScoringInputs.load(s.spark(), s.tables(), s.settings()));
    var out = spec.commandLine().getOut();
    out.printf("model v%d: %d recommendations (table version %d), %d similar items (table version %d)%n",
        r.modelVersion(), r.recommendations(), r.recommendationsTableVersion(), r.similarItems(), r.similarTableVersion());
    if (publish) {
      RedisSettings redis = RedisSettings.from(s.config());
      KafkaConnection kafka = KafkaSettings.from(s.config()).connection();
      int partitions = KafkaSettings.from(s.config()).servingTopicPartitions();
      TableAccess read = TableAccess.of(s.spark(), s.tables());
      ServingPublisher.publish(read.read(ModelTables.RECOMMENDATIONS), "customer_id", "product_id",
          "recommendations", redis, kafka, s.settings().recommendationsTopic(), partitions,
          r.recommendationsTableVersion());
      ServingPublisher.publish(read.read(ModelTables.SIMILAR_ITEMS), "product_id",
          "similar_product_id", "similar", redis, kafka, s.settings().similarItemsTopic(), partitions,
          r.similarTableVersion());
      out.println("published to Redis and " + s.settings().recommendationsTopic() + ", " + s.settings().similarItemsTopic());
    }
    out.flush();
    return 0;
  }
}
