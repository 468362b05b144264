package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.RunObservers;
import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.BronzeReconciliation;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.checks.SilverComparison;
import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.cdc.SilverSchema;
import io.shoplake.core.TableId;
import io.shoplake.orders.OrderLifecycleJob;
import io.shoplake.checks.ApplyReconciliation;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.SparkSession;
import io.shoplake.core.RedisSettings;

/** Running the real jobs in a test, and the checks every end-to-end test makes. */
final class PipelineRuns {
  private PipelineRuns() {}

  /** One available-now pass of every job, in data-flow order. */
  static void runOnce(SparkSession spark, ShoplakeConfig config) throws Exception {
    runOnce(spark, config, job -> true);
  }

  /** One available-now pass of the jobs {@code which} keeps, in data-flow order. */
  static void runOnce(SparkSession spark, ShoplakeConfig config, Predicate<Job> which) throws Exception {
    JobContext context = JobContext.create(spark, config);
    TableBootstrap.ensure(spark, context.tables(), Pipeline.tables(config));
    try (JobRunner runner = new JobRunner(context, RunObservers.of(context))) {
      runner.runToCompletion(Pipeline.jobs(config).stream().filter(which).toList());
    }
  }

  /**
   * Passes until gold and every silver table equal PostgreSQL: Debezium may still be
   * publishing the last commits when a pass starts.
   */
  static void runUntilGoldMatchesPostgres(SparkSession spark, ShoplakeConfig config, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Tables tables = Tables.from(config);
    PostgresSettings pg = PostgresSettings.from(config);
    while (true) {
      runOnce(spark, config);
      Map<String, Integer> truth = AvailabilityComparison.postgres(pg);
      boolean goldMatches = AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables)).isEmpty();
      if (goldMatches && silverDifferences(spark, config).values().stream().allMatch(Set::isEmpty)) return;
      if (System.nanoTime() > deadline) {
        assertThat(AvailabilityComparison.differences(truth, AvailabilityComparison.gold(spark, tables)))
            .as("product/location keys where gold differs from PostgreSQL").isEmpty();
        assertSilverEqualsPostgres(spark, config);
      }
      Thread.sleep(1_000);
    }
  }

  /** Per silver table, the keys where it differs from its source table (columns it gained included). */
  static Map<String, Set<String>> silverDifferences(SparkSession spark, ShoplakeConfig config) throws Exception {
    Tables tables = Tables.from(config);
    PostgresSettings pg = PostgresSettings.from(config);
    Pseudonymizer pseudonymizer = new Pseudonymizer(config.string("shoplake.pii.key"));
    Map<String, Set<String>> diff = new java.util.TreeMap<>();
    for (CdcTableSpec spec : io.shoplake.Pipeline.cdcSpecs(config)) {
      CdcTableSpec current = SilverSchema.of(TableAccess.of(spark, tables), spec);
      diff.put(spec.silverTable().toString(), SilverComparison.differences(spark, tables, current, pg, pseudonymizer));
    }
    return diff;
  }

  /**
   * Every silver table equals its source table, personal columns pseudonymised, and the
   * column the scenario added to products is among them; every apply job accounted for each
   * bronze row; each history's current versions equal the current state; each order's
   * lifecycle status equals its status in PostgreSQL.
   */
  static void assertSilverEqualsPostgres(SparkSession spark, ShoplakeConfig config) throws Exception {
    Tables tables = Tables.from(config);
    assertThat(silverDifferences(spark, config)).allSatisfy((table, keys) ->
        assertThat(keys).as("keys where " + table + " differs from PostgreSQL").isEmpty());
    assertThat(spark.read().format("delta").load(tables.path(new TableId("silver", "products"))).columns())
        .as("the column added to products in PostgreSQL").contains("brand");
    for (CdcTableSpec spec : io.shoplake.Pipeline.cdcSpecs(config)) {
      ApplyReconciliation.Result r = ApplyReconciliation.check(spark, tables, spec.silverTable().toString(),
          Tables.bronzeFor(tables.topics().cdc(spec.table())));
      assertThat(r.problems()).as("accounting of " + r.job()).isEmpty();
      if (!spec.keepsHistory()) continue;
      String[] tracked = java.util.stream.Stream.concat(spec.keys().stream(), spec.historyTracked().stream())
          .toArray(String[]::new);
      Dataset<Row> current = spark.read().format("delta").load(tables.path(spec.silverTable()))
          .filter("NOT _is_deleted").selectExpr(tracked);
      Dataset<Row> versions = spark.read().format("delta").load(tables.path(spec.historyTable()))
          .filter("is_current").selectExpr(tracked);
      assertThat(current.exceptAll(versions).count() + versions.exceptAll(current).count())
          .as(spec.historyTable() + " current versions vs " + spec.silverTable()).isZero();
    }
    Map<Long, String> statuses = new java.util.TreeMap<>();
    try (var c = PostgresSettings.from(config).connect(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT order_id, status FROM orders")) {
      while (rs.next()) statuses.put(rs.getLong(1), rs.getString(2));
    }
    Map<Long, String> lifecycle = new java.util.TreeMap<>();
    for (Row r : spark.read().format("delta").load(tables.path(OrderLifecycleJob.TABLE)).select("order_id", "status")
        .collectAsList()) {
      lifecycle.put(r.getLong(0), r.getString(1));
    }
    assertThat(lifecycle).as("silver.order_lifecycle status vs PostgreSQL orders.status").isEqualTo(statuses);
  }

  static void assertBronzeReconciles(SparkSession spark, ShoplakeConfig config) {
    var results = BronzeReconciliation.check(spark, Tables.from(config), io.shoplake.core.KafkaSettings.connection(config));
    assertThat(results).as("source topic partitions").isNotEmpty();
    assertThat(results.stream().mapToLong(BronzeReconciliation.PartitionResult::kafkaRecords).sum()).isPositive();
    assertThat(results).allSatisfy(r -> assertThat(r.problems()).as(r.topic() + "-" + r.partition()).isEmpty());
  }

  /**
   * Segments and price recommendations in Redis equal gold: every customer's segment set and
   * every product's recommended price, in both directions (Redis holds no customer gold lacks,
   * unless with no segments left).
   */
  static void assertSegmentsAndPricesInRedisEqualGold(SparkSession spark, ShoplakeConfig config) throws Exception {
    Tables tables = Tables.from(config);
    RedisSettings redis = RedisSettings.from(config);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<Long, Set<String>> gold = new java.util.TreeMap<>();
    for (Row r : spark.read().format("delta").load(tables.path(Tables.GOLD_CUSTOMER_SEGMENTS))
        .select("customer_id", "segment").collectAsList()) {
      gold.computeIfAbsent(r.getLong(0), c -> new java.util.TreeSet<>()).add(r.getString(1));
    }
    assertThat(gold).as("customers with segments").hasSizeGreaterThan(10);
    Map<Long, java.math.BigDecimal> prices = new java.util.TreeMap<>();
    for (Row r : spark.read().format("delta").load(tables.path(Tables.GOLD_PRICE_RECOMMENDATIONS))
        .select("product_id", "recommended_price").collectAsList()) {
      prices.put(r.getLong(0), r.getDecimal(1));
    }
    assertThat(prices).as("products with a price recommendation").hasSizeGreaterThan(10);
    try (redis.clients.jedis.Jedis jedis = redis.connect()) {
      Map<Long, Set<String>> served = new java.util.TreeMap<>();
      for (String key : jedis.keys(redis.keyPrefix() + ":segments:*")) {
        Set<String> segments = new java.util.TreeSet<>();
        json.readTree(jedis.hget(key, "value")).get("segments").forEach(x -> segments.add(x.get("segment").asText()));
        if (!segments.isEmpty()) served.put(Long.parseLong(key.substring(key.lastIndexOf(':') + 1)), segments);
      }
      assertThat(served).as("segments in Redis vs gold.customer_segments").isEqualTo(gold);
      for (var e : prices.entrySet()) {
        String value = jedis.hget(redis.priceKey(e.getKey()), "value");
        assertThat(value).as("price of product " + e.getKey() + " in Redis").isNotNull();
        assertThat(json.readTree(value).get("recommended_price").decimalValue())
            .as("price of product " + e.getKey()).isEqualByComparingTo(e.getValue());
      }
      assertThat(jedis.keys(redis.keyPrefix() + ":price:*")).as("no price Redis has that gold lacks").hasSize(prices.size());
    }
  }
}
