package io.shoplake.cli;

import io.shoplake.Pipeline;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.cdc.SilverSchema;
import io.shoplake.checks.ApplyReconciliation;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.BronzeReconciliation;
import io.shoplake.checks.ClickstreamReconciliation;
import io.shoplake.checks.OrderEventsReconciliation;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.checks.ServingCheck;
import io.shoplake.checks.ServingTopicCheck;
import io.shoplake.checks.SilverComparison;
import io.shoplake.clickstream.ClickEventContract;
import io.shoplake.clickstream.ClickstreamJob;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.orders.OrderEventsJob;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The data checks of {@code shoplake check} (and of the chaos run's verdict), each a list of
 * lines: what was compared, and whether it agreed.
 */
public final class DataChecks {
  private DataChecks() {}

  public enum Status { OK, DIFF, SKIP }

  /** One comparison: its area (bronze, apply, silver, serving, ...), what it compared, and how many differences. */
  public record Line(Status status, String area, String text, int differences) {
    static Line of(int differences, String area, String text) {
      return new Line(differences == 0 ? Status.OK : Status.DIFF, area, text, differences);
    }

    /** As {@code shoplake check} prints it. */
    public String format() {
      return String.format("%-4s %-7s %s", status == Status.DIFF ? "DIFF" : status.name().toLowerCase(java.util.Locale.ROOT),
          area, text);
    }
  }

  /**
   * Per source topic partition: Kafka = bronze + ingest's quarantine, each offset once; per
   * silver job: bronze rows = rows read = their outcomes in the event log; each outbox event
   * once in silver; per silver table (when PostgreSQL is configured) current state = PostgreSQL.
   */
  public static List<Line> reconcile(SparkSession spark, Tables tables, ShoplakeConfig config) throws SQLException {
    List<Line> lines = new ArrayList<>();
    for (BronzeReconciliation.PartitionResult r :
        BronzeReconciliation.check(spark, tables, KafkaSettings.from(config).connection())) {
      lines.add(Line.of(r.problems().size(), "bronze", String.format("%s-%d: kafka %d, landed %d%s", r.topic(),
          r.partition(), r.kafkaRecords(), r.landed(), r.problems().isEmpty() ? "" : "  " + r.problems())));
    }
    for (CdcTableSpec table : Pipeline.cdcSpecs(config)) {
      ApplyReconciliation.Result r = ApplyReconciliation.check(spark, tables, table.silverTable().toString(),
          Tables.bronzeFor(tables.topics().cdc(table.table())));
      lines.add(Line.of(r.problems().size(), "apply", String.format(
          "%s: bronze %d = read %d = applied %d + stale %d + duplicate %d + quarantined %d + tombstones %d%s", r.job(),
          r.bronzeRows(), r.rowsIn(), r.applied(), r.stale(), r.duplicate(), r.quarantined(), r.tombstones(),
          r.problems().isEmpty() ? "" : "  " + r.problems())));
    }
    ClickstreamReconciliation.Result clicks = ClickstreamReconciliation.check(spark, tables, ClickEventContract.load(),
        io.shoplake.clickstream.ClickstreamSettings.from(config));
    lines.add(Line.of(clicks.problems().size(), "apply", String.format(
        "%s: bronze %d = applied %d + duplicate %d + quarantined %d%s", ClickstreamJob.NAME, clicks.bronzeRows(),
        clicks.applied(), clicks.duplicate(), clicks.quarantined(),
        clicks.problems().isEmpty() ? "" : "  " + clicks.problems())));
    OrderEventsReconciliation.Result events = OrderEventsReconciliation.check(spark, tables);
    lines.add(Line.of(events.problems().size(), "apply", String.format(
        "%s: %d valid events in bronze, each once in silver (%d rows)%s", OrderEventsJob.NAME, events.events(),
        events.silverRows(), events.problems().isEmpty() ? "" : "  " + events.problems())));
    if (!config.has("shoplake.postgres.jdbc-url")) {
      lines.add(new Line(Status.SKIP, "silver", "no shoplake.postgres.jdbc-url to compare with", 0));
      return lines;
    }
    PostgresSettings pg = PostgresSettings.from(config);
    Pseudonymizer pseudonymizer = config.has("shoplake.pii.key") ? new Pseudonymizer(config.string("shoplake.pii.key")) : null;
    for (CdcTableSpec table : Pipeline.cdcSpecs(config)) {
      if (!table.pseudonymised().isEmpty() && pseudonymizer == null) {
        lines.add(new Line(Status.SKIP, "silver", table.silverTable()
            + ": its personal columns need shoplake.pii.key (SHOPLAKE_PII_KEY)", 0));
        continue;
      }
      // Columns the source gained since are compared too.
      CdcTableSpec current = SilverSchema.of(TableAccess.of(spark, tables), table);
      Set<String> diff = SilverComparison.differences(spark, tables, current, pg, pseudonymizer);
      lines.add(Line.of(diff.size(), "silver", table.silverTable() + " = PostgreSQL " + table.table()
          + (diff.isEmpty() ? "" : ": " + diff.size() + " keys differ, e.g. " + first(diff, 20))));
    }
    return lines;
  }

  /**
   * Redis availability = gold, value and version; the availability and price topics' last
   * message per product = Redis; and (when PostgreSQL is configured) gold = PostgreSQL.
   */
  public static List<Line> serving(SparkSession spark, Tables tables, ShoplakeConfig config) throws SQLException {
    List<Line> lines = new ArrayList<>();
    RedisSettings redis = RedisSettings.from(config);
    var gold = ServingCheck.gold(spark, tables);
    Set<String> diff = ServingCheck.differences(gold, ServingCheck.redis(redis));
    lines.add(Line.of(diff.size(), "serving", String.format("%s = Redis availability (%d product×location values and versions)%s",
        Tables.GOLD_INVENTORY_AVAILABILITY, gold.size(), diff.isEmpty() ? "" : ": " + diff.size() + " differ, e.g. "
            + first(diff, 10))));
    var kafka = KafkaSettings.from(config).connection();
    String availability = tables.topics().availability();
    lines.add(topicLine(kafka, availability, "last message per product = Redis availability",
        () -> ServingTopicCheck.availabilityDifferences(spark, kafka, availability, redis)));
    String prices = tables.topics().priceRecommendations();
    lines.add(topicLine(kafka, prices, "last message per product = Redis price recommendation",
        () -> ServingTopicCheck.priceDifferences(spark, kafka, prices, redis)));
    if (config.has("shoplake.postgres.jdbc-url")) {
      Set<String> stale = AvailabilityComparison.differences(AvailabilityComparison.postgres(PostgresSettings.from(config)),
          AvailabilityComparison.gold(spark, tables));
      lines.add(Line.of(stale.size(), "gold", Tables.GOLD_INVENTORY_AVAILABILITY
          + " = PostgreSQL inventory (available = on_hand - reserved)"
          + (stale.isEmpty() ? "" : ": " + stale.size() + " differ, e.g. " + first(stale, 10))));
    }
    return lines;
  }

  private static Line topicLine(io.shoplake.core.KafkaConnection kafka, String topic, String what,
      java.util.function.Supplier<Set<String>> differences) {
    if (!ServingTopicCheck.exists(kafka, topic)) {
      return new Line(Status.SKIP, "serving", topic + ": no such topic yet (nothing published)", 0);
    }
    Set<String> diff = differences.get();
    return Line.of(diff.size(), "serving", topic + ", " + what
        + (diff.isEmpty() ? "" : ": " + diff.size() + " differ, e.g. " + first(diff, 10)));
  }

  private static String first(Set<String> keys, int n) {
    return String.join(", ", keys.stream().limit(n).toList());
  }
}
