package io.shoplake.cli;

import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.cdc.SilverSchema;
import io.shoplake.clickstream.ClickEventContract;
import io.shoplake.clickstream.ClickstreamJob;
import io.shoplake.clickstream.ClickstreamSettings;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.checks.ApplyReconciliation;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.BronzeReconciliation;
import io.shoplake.checks.ClickstreamReconciliation;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.checks.ServingCheck;
import io.shoplake.checks.SilverComparison;
import io.shoplake.core.RedisSettings;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
        "             quarantined; per silver table, when shoplake.postgres is configured: current state",
        "             = the PostgreSQL table (personal columns compared through their pseudonyms).",
        "  serving    Redis availability = gold.inventory_availability, value and version, for every",
        "             product×location: the real-time hot path and the lakehouse path agree; and, when",
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
      problems += check == Check.serving ? serving(spark, tables, config, out) : reconcile(spark, tables, config, out);
    }
    out.flush();
    return problems == 0 ? 0 : DIFFERENCES;
  }

  /** @return the number of differences found */
  private static int reconcile(SparkSession spark, Tables tables, ShoplakeConfig config, PrintWriter out)
      throws java.sql.SQLException {
    int problems = 0;
    for (BronzeReconciliation.PartitionResult r :
        BronzeReconciliation.check(spark, tables, KafkaSettings.from(config).connection())) {
      out.printf("%-4s bronze  %s-%d: kafka %d, landed %d%s%n", r.problems().isEmpty() ? "ok" : "DIFF", r.topic(),
          r.partition(), r.kafkaRecords(), r.landed(), r.problems().isEmpty() ? "" : "  " + r.problems());
      problems += r.problems().size();
    }
    for (CdcTableSpec table : Pipeline.cdcSpecs(config)) {
      ApplyReconciliation.Result r = ApplyReconciliation.check(spark, tables, table.silverTable().toString(),
          Tables.bronzeFor(tables.topics().cdc(table.table())));
      out.printf("%-4s apply   %s: bronze %d = read %d = applied %d + stale %d + duplicate %d + quarantined %d"
              + " + tombstones %d%s%n", r.problems().isEmpty() ? "ok" : "DIFF", r.job(), r.bronzeRows(), r.rowsIn(),
          r.applied(), r.stale(), r.duplicate(), r.quarantined(), r.tombstones(),
          r.problems().isEmpty() ? "" : "  " + r.problems());
      problems += r.problems().size();
    }
    ClickstreamReconciliation.Result clicks = ClickstreamReconciliation.check(spark, tables, ClickEventContract.load(),
        ClickstreamSettings.from(config));
    out.printf("%-4s apply   %s: bronze %d = applied %d + duplicate %d + quarantined %d%s%n",
        clicks.problems().isEmpty() ? "ok" : "DIFF", ClickstreamJob.NAME, clicks.bronzeRows(), clicks.applied(),
        clicks.duplicate(), clicks.quarantined(), clicks.problems().isEmpty() ? "" : "  " + clicks.problems());
    problems += clicks.problems().size();
    if (config.has("shoplake.postgres.jdbc-url")) {
      PostgresSettings pg = PostgresSettings.from(config);
      Pseudonymizer pseudonymizer = config.has("shoplake.pii.key") ? new Pseudonymizer(config.string("shoplake.pii.key")) : null;
      for (CdcTableSpec table : Pipeline.cdcSpecs(config)) {
        if (!table.pseudonymised().isEmpty() && pseudonymizer == null) {
          out.printf("skip silver  %s: its personal columns need shoplake.pii.key (SHOPLAKE_PII_KEY)%n", table.silverTable());
          continue;
        }
        // Columns the source gained since are compared too.
        CdcTableSpec current = SilverSchema.of(TableAccess.of(spark, tables), table);
        Set<String> diff = SilverComparison.differences(spark, tables, current, pg, pseudonymizer);
        out.printf("%-4s silver  %s = PostgreSQL %s%s%n", diff.isEmpty() ? "ok" : "DIFF", table.silverTable(),
            table.table(), diff.isEmpty() ? "" : ": " + diff.size() + " keys differ, e.g. " + first(diff, 20));
        problems += diff.size();
      }
    } else {
      out.println("skip silver: no shoplake.postgres.jdbc-url to compare with");
    }
    return problems;
  }

  /** @return the number of differences found */
  private static int serving(SparkSession spark, Tables tables, ShoplakeConfig config, PrintWriter out)
      throws java.sql.SQLException {
    var gold = ServingCheck.gold(spark, tables);
    Set<String> diff = ServingCheck.differences(gold, ServingCheck.redis(RedisSettings.from(config)));
    out.printf("%-4s serving %s = Redis availability (%d product×location values and versions)%s%n",
        diff.isEmpty() ? "ok" : "DIFF", Tables.GOLD_INVENTORY_AVAILABILITY, gold.size(),
        diff.isEmpty() ? "" : ": " + diff.size() + " differ, e.g. " + first(diff, 10));
    int problems = diff.size();
    if (config.has("shoplake.postgres.jdbc-url")) {
      Set<String> stale = AvailabilityComparison.differences(AvailabilityComparison.postgres(PostgresSettings.from(config)),
          AvailabilityComparison.gold(spark, tables));
      out.printf("%-4s gold    %s = PostgreSQL inventory (available = on_hand - reserved)%s%n",
          stale.isEmpty() ? "ok" : "DIFF", Tables.GOLD_INVENTORY_AVAILABILITY,
          stale.isEmpty() ? "" : ": " + stale.size() + " differ, e.g. " + first(stale, 10));
      problems += stale.size();
    }
    return problems;
  }

  private static String first(Set<String> keys, int n) {
    return String.join(", ", keys.stream().limit(n).toList());
  }
}
