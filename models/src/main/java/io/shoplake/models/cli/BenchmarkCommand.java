package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.models.interactions.InteractionEvents;
import io.shoplake.models.interactions.Interactions;
import io.shoplake.models.synthetic.SyntheticShop;
import io.shoplake.models.training.AlsParams;
import io.shoplake.models.training.AlsTrainer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = {"Time ALS training on generated interactions.",
        "Clickstream events and order lines of a synthetic shop with planted tastes; sizes count",
        "events, and the customer x product pairs ALS trains on are printed beside them."})
final class BenchmarkCommand implements Callable<Integer> {
  /**
   * Interaction events per generated session once anonymous sessions are left out (measured:
   * 4.26 at 100k, 4.29 at 1M); used only to size the shop.
   */
  private static final double EVENTS_PER_SESSION = 4.27;

  @Option(names = "--sizes", split = ",", defaultValue = "100000,1000000", description = "Interaction events (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--rank", defaultValue = "10") int rank;
  @Option(names = "--iterations", defaultValue = "10") int iterations;
  @Option(names = "--reg-param", defaultValue = "0.1") double regParam;
  @Option(names = "--alpha", defaultValue = "5") double alpha;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ModelsSession s = ModelsSession.openScratch(configOptions.load());
    AlsParams params = new AlsParams(rank, regParam, alpha, iterations);
    var out = spec.commandLine().getOut();
    out.printf("ALS %s, master %s, %d cores%n", params, s.spark().sparkContext().master(),
        Runtime.getRuntime().availableProcessors());
    out.printf("%12s %10s %10s %10s %12s %10s%n", "events", "pairs", "customers", "products", "prepare s", "fit s");
    for (int size : sizes) {
      long t0 = System.nanoTime();
      int customers = Math.max(1000, size / 50);
      SyntheticShop shop = SyntheticShop.withRandomTastes(new SyntheticShop.Options(customers,
          Math.max(500, size / 500), 20, (int) (size / EVENTS_PER_SESSION), 90, 70, 42));
      Dataset<Row> events = InteractionEvents.fromClickstream(shop.clickstream(s.spark()), s.settings())
          .unionByName(InteractionEvents.fromOrders(shop.orders(s.spark()), shop.orderItems(s.spark()), s.settings()));
      long eventCount = events.count();
      Dataset<Row> interactions = Interactions.aggregate(events, SyntheticShop.END, s.settings().halfLifeMillis())
          .persist();
      long pairs = interactions.count();
      long t1 = System.nanoTime();
      var model = AlsTrainer.fit(interactions, params, 42);
      long t2 = System.nanoTime();
      out.printf(Locale.ROOT, "%12d %10d %10d %10d %12.1f %10.1f%n", eventCount, pairs, model.userFactors().count(),
          model.itemFactors().count(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
      out.flush();
      interactions.unpersist();
    }
    return 0;
  }
}
