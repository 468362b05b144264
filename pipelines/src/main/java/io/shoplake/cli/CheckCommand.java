package io.shoplake.cli;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Data checks, one or more in one run (one Spark start). Exit 0 when everything",
        "reconciles, 3 on any difference (each printed).",
        "  reconcile  per source topic partition: Kafka records = bronze rows + records quarantined at ingest,",
        "             each offset once; per silver apply job: bronze rows = rows read = applied + stale +",
        "             duplicate + quarantined + Kafka tombstones (quality.pipeline_events), quarantine rows =",
        "             quarantined; each valid outbox event once in silver.order_events; per silver table,",
        "             when shoplake.postgres is configured: current state",
        "             = the PostgreSQL table (personal columns compared through their pseudonyms).",
        "  serving    Redis availability = gold.inventory_availability, value and version, for every",
        "             product×location: the real-time hot path and the lakehouse path agree; the availability",
        "             and price topics' last message per product = Redis; and, when",
        "             shoplake.postgres is configured, gold = PostgreSQL's on_hand - reserved."})
final class CheckCommand implements Callable<Integer> {
  static final int DIFFERENCES = 3;

  @Parameters(arity = "1..*", paramLabel = "CHECK", description = "reconcile | serving, in the order given")
  List<Check> checks;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  enum Check { reconcile, serving }

  @Override
  public Integer call() throws Exception {
    ShoplakeConfig config = configOptions.load();
    PrintWriter out = spec.commandLine().getOut();
    Tables tables = Tables.from(config);
    SparkSession spark = SparkSessionFactory.create(config);
    int problems = 0;
    for (Check check : new LinkedHashSet<>(checks)) {
      problems += print(check == Check.serving ? DataChecks.serving(spark, tables, config)
          : DataChecks.reconcile(spark, tables, config), out);
    }
    out.flush();
    return problems == 0 ? 0 : DIFFERENCES;
  }

  /** Prints each line; @return the number of differences found */
  private static int print(List<DataChecks.Line> lines, PrintWriter out) {
    lines.forEach(l -> out.println(l.format()));
    return lines.stream().mapToInt(DataChecks.Line::differences).sum();
  }
}
