package io.shoplake.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.Pipeline;
import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.checks.ApplyReconciliation;
import io.shoplake.checks.BronzeReconciliation;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.cli.ErasureTargetProvider;
import io.shoplake.core.ErasureTarget;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.serving.CompactedTopicErasure;
import io.shoplake.serving.ServingTopics;
import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.maintenance.MaintenanceSettings;
import io.shoplake.privacy.CustomerErasure;
import io.shoplake.privacy.ErasedHistory;
import io.shoplake.privacy.PrivacySettings;
import io.shoplake.privacy.RawMentions;
import io.shoplake.quality.ErasedCustomer;
import io.shoplake.quality.Erasures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/**
 * {@code privacy forget}, then passes of the pipeline and {@code maintain vacuum --erasure} as a
 * nightly maintenance meets them, on a copy of the {@link SharedPipelineRun}'s warehouse, for the
 * customer found in the most places: afterwards no file
 * under the warehouse and no Redis key holds their id, e-mail, phone or name, in clear or as
 * silver's pseudonym; the rows that only named them are kept; and the checks that count records
 * (bronze = Kafka, each apply job's accounting, silver = PostgreSQL, which still holds the
 * customer) pass as they did before.
 */
@Order(2)
class PrivacyForgetIT {
  @Test
  void aForgottenCustomerIsInNoFileAndNoKeyAndTheChecksStillPass(@TempDir Path dir) throws Exception {
    Devstack devstack = Devstack.get();
    SparkSession spark = ItSpark.get(devstack);
    SharedPipelineRun run = SharedPipelineRun.get();
    Path warehouse = run.copyWarehouse(dir.resolve("warehouse"));
    String sharedPrefix = run.settings().get("shoplake.redis.key-prefix");
    Map<String, String> settings = new HashMap<>(run.settings());
    settings.put("shoplake.storage.warehouse", warehouse.toUri().toString());
    settings.put("shoplake.redis.key-prefix", sharedPrefix + "-forget");
    settings.put("shoplake.privacy.erasure-vacuum-retention", "0s");
    // The passes below publish: to topics of this test's own, not the shared run's.
    for (String topic : List.of("segment-changes-topic", "abandoned-carts-topic", "price-topic")) {
      settings.put("shoplake.serving." + topic, "serving." + topic + "." + sharedPrefix + "-forget");
    }
    settings.put("shoplake.lineage.transport", "none");
    ShoplakeConfig config = devstack.config("local", settings);
    Tables tables = Tables.from(config);
    TableAccess access = TableAccess.of(spark, tables);
    RedisSettings redis = RedisSettings.from(config);
    copyRedisSegments(redis, sharedPrefix);

    long customer = customerInTheMostPlaces(access);
    List<String> personal = new ArrayList<>(clearValues(config, customer));
    Pseudonymizer pseudonymizer = new Pseudonymizer(Devstack.PII_KEY);
    // Delta keeps a string's first 32 characters in its file statistics: a prefix is enough to find.
    personal.addAll(personal.stream().map(v -> pseudonymizer.pseudonym(v).substring(0, 32)).toList());
    long orders = access.read(Tables.SILVER_ORDERS).count();
    long clicks = access.read(Tables.SILVER_CLICKSTREAM).count();
    long theirOrders = access.read(Tables.SILVER_ORDERS).filter(col("customer_id").equalTo(customer)).count();
    int segmentKeys = keys(redis, redis.keyPrefix() + ":segments:*").size();
    assertThat(keys(redis, redis.segmentsKey(customer))).as("the customer's segments in Redis before").hasSize(1);
    var bronzeBefore = BronzeReconciliation.check(spark, tables, KafkaSettings.connection(config));

    StringWriter report = new StringWriter();
    CustomerErasure.Result result = new CustomerErasure(spark, tables, PrivacySettings.from(config),
        Pipeline.graph(config), Pipeline.allTables(config), ErasureTargetProvider.all(config))
        .forget(customer, new PrintWriter(report));
    System.out.print(report);

    assertThat(result.complete()).as("erasure complete; report:\n" + report).isTrue();
    assertThat(result.records()).as("bronze records changed").isNotEmpty();
    // The rows that only named the customer stay, for the shop's figures.
    assertThat(access.read(Tables.SILVER_ORDERS).count()).isEqualTo(orders);
    assertThat(access.read(Tables.SILVER_CLICKSTREAM).count()).isEqualTo(clicks);
    assertThat(access.read(Tables.SILVER_ORDERS).filter(col("customer_id").isNull()).count()).isGreaterThanOrEqualTo(theirOrders);
    assertThat(keys(redis, redis.segmentsKey(customer))).as("the customer's segments in Redis").isEmpty();
    assertThat(keys(redis, redis.keyPrefix() + ":segments:*")).as("everyone else's segments").hasSize(segmentKeys - 1);
    Dataset<Row> erasures = access.read(Tables.ERASURES);
    assertThat(erasures.select("phase").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder(Erasures.STARTED, Erasures.ERASED);
    assertThat(erasures.filter(col("customer_ref").equalTo(ErasedCustomer.ref(customer, pseudonymizer::pseudonym))).count())
        .isEqualTo(2);

    assertThat(BronzeReconciliation.check(spark, tables, KafkaSettings.connection(config)))
        .as("bronze against Kafka, as before the erasure").isEqualTo(bronzeBefore);
    for (var spec : Pipeline.cdcSpecs(config)) {
      var accounting = ApplyReconciliation.check(spark, tables, spec.silverTable().toString(),
          Tables.bronzeFor(tables.topics().cdc(spec.table())));
      assertThat(accounting.problems()).as("accounting of " + accounting.job() + " after the erasure").isEmpty();
    }
    assertThat(PipelineRuns.silverDifferences(spark, config)).allSatisfy((table, keys) ->
        assertThat(keys).as("keys where " + table + " differs from PostgreSQL, which still holds the customer").isEmpty());

    // The pipeline goes on: its streams skip the erasure's commits, serving leaves the customer out,
    // and each job reading a table the erasure rewrote reads past it, which the vacuum waits for.
    PipelineRuns.runOnce(spark, config);
    assertThat(keys(redis, redis.segmentsKey(customer))).as("the customer's segments, after a pass").isEmpty();
    assertThat(access.read(Tables.SILVER_CUSTOMERS).filter(col("customer_id").equalTo(customer)).count()).isZero();

    // A job reading a change feed rests on the erasure's commit until a later one: the first vacuum's
    // own commits are, once the next pass has read them.
    vacuum(spark, tables, config);
    PipelineRuns.runOnce(spark, config);
    assertThat(vacuum(spark, tables, config)).as("histories still holding an erasure's commit after two").isEmpty();

    RawMentions mentions = new RawMentions(PrivacySettings.from(config).subjectFields(), customer);
    assertThat(filesNaming(spark, warehouse, mentions, personal)).as("files under the warehouse naming customer "
        + customer + " or holding their personal data in clear or as pseudonym").isEmpty();
    // Keys by customer id (a product's, such as price:<id>, may share the number).
    for (String kind : List.of("segments", "recommendations")) {
      assertThat(keys(redis, redis.keyPrefix() + ":" + kind + ":" + customer)).as("Redis " + kind + " of the customer")
          .isEmpty();
    }
  }

  @Test
  void onACompactedServingTopicTheCustomersLatestValueIsATombstoneAndOthersKeepTheirs() throws Exception {
    Devstack devstack = Devstack.get();
    ShoplakeConfig config = devstack.config("local", devstack.isolatedSettings("local", Path.of("/unused")));
    KafkaConnection kafka = KafkaSettings.connection(config);
    String topic = "serving.recommendations." + config.string("shoplake.redis.key-prefix");
    ServingTopics.ensureCompacted(kafka, topic, 3);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(),
        new StringSerializer())) {
      for (long customer : new long[] {41, 42, 43}) {
        producer.send(new ProducerRecord<>(topic, Long.toString(customer), "{\"customer_id\":" + customer + ",\"products\":[1]}"));
      }
      producer.flush();
    }

    long written = new CompactedTopicErasure(kafka, topic).erase(new ErasureTarget.Context(null, null, 42));

    assertThat(written).isEqualTo(1);
    Map<String, String> latest = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.clientProperties(), new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> latest.put(r.key(), r.value()));
      }
    }
    assertThat(latest).containsKeys("41", "42", "43").containsEntry("42", null);
    assertThat(latest.get("41")).contains("\"customer_id\":41");
    assertThat(latest.get("43")).contains("\"customer_id\":43");
  }

  private static List<String> vacuum(SparkSession spark, Tables tables, ShoplakeConfig config) throws IOException {
    StringWriter out = new StringWriter();
    List<String> held = new ErasedHistory(spark, tables, PrivacySettings.from(config), Pipeline.graph(config),
        Pipeline.allTables(config), MaintenanceSettings.from(config).listingParallelism()).vacuum(new PrintWriter(out));
    System.out.print(out);
    return held;
  }

  /** The customer with the most orders among those with segments and clicks. */
  private static long customerInTheMostPlaces(TableAccess access) {
    Dataset<Row> clicked = access.read(Tables.SILVER_CLICKSTREAM).filter(col("customer_id").isNotNull())
        .select("customer_id").distinct();
    Dataset<Row> segmented = access.read(Tables.GOLD_CUSTOMER_SEGMENTS).select("customer_id").distinct();
    Row top = access.read(Tables.SILVER_ORDERS).groupBy("customer_id").agg(count("order_id").as("orders"))
        .join(clicked, "customer_id").join(segmented, "customer_id")
        .orderBy(col("orders").desc(), col("customer_id")).first();
    return top.getLong(0);
  }

  /**
   * The customer's e-mail, phone and name as the shop holds them, each only if no other customer
   * shares it (the simulator's names repeat): a shared value found elsewhere is someone else's.
   */
  private static List<String> clearValues(ShoplakeConfig config, long customer) throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection c = PostgresSettings.from(config).connect(); Statement s = c.createStatement()) {
      for (String column : List.of("email", "phone", "full_name")) {
        try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM customers WHERE customer_id = " + customer
            + " AND " + column + " IS NOT NULL AND " + column + " NOT IN (SELECT " + column + " FROM customers WHERE "
            + column + " IS NOT NULL AND customer_id <> " + customer + ")")) {
          if (rs.next()) values.add(rs.getString(1));
        }
      }
    }
    assertThat(values).as("distinctive personal values of customer " + customer).isNotEmpty();
    return values;
  }

  /** Serving's values of the shared run, under this test's own prefix: the shared ones stay as they are. */
  private static void copyRedisSegments(RedisSettings mine, String sharedPrefix) {
    try (Jedis jedis = mine.connect()) {
      for (String key : keys(mine, sharedPrefix + ":segments:*")) {
        jedis.restore(mine.keyPrefix() + key.substring(sharedPrefix.length()), 0, jedis.dump(key));
      }
    }
  }

  private static Set<String> keys(RedisSettings redis, String pattern) {
    Set<String> found = new TreeSet<>();
    try (Jedis jedis = redis.connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        var page = jedis.scan(cursor, new ScanParams().match(pattern).count(1000));
        found.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return found;
  }

  /**
   * Delta's per-file statistics count nulls by column ({@code "nullCount":{"customer_id":12}}): a count, never
   * an id, though it reads like a mention once the erasure has nulled as many rows as the customer's number.
   */
  private static final String NULL_COUNTS = "\\\\?\"nullCount\\\\?\"\\s*:\\s*\\{(?:[^{}]|\\{[^{}]*\\})*\\}";

  /**
   * Every file under the warehouse that names the customer or holds one of {@code personal}: Parquet
   * files (tables, change feed, log checkpoints) read value by value, every other file as text.
   */
  private static Map<String, String> filesNaming(SparkSession spark, Path warehouse, RawMentions mentions,
      List<String> personal) throws IOException {
    Map<String, List<String>> parquetByDir = new TreeMap<>();
    List<Path> text = new ArrayList<>();
    try (Stream<Path> files = Files.walk(warehouse)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".crc") && name.startsWith(".")) continue; // Hadoop's checksums of the files beside them
        if (name.endsWith(".parquet")) parquetByDir.computeIfAbsent(f.getParent().toString(), d -> new ArrayList<>())
            .add(f.toUri().toString());
        else text.add(f);
      }
    }
    Map<String, String> found = new TreeMap<>();
    for (Path f : text) {
      String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).replaceAll(NULL_COUNTS, "");
      String hit = hit(content, mentions, personal);
      if (hit != null) found.put(warehouse.relativize(f).toString(), hit);
    }
    for (var dir : parquetByDir.entrySet()) {
      Dataset<Row> rows = spark.read().option("mergeSchema", "true").parquet(dir.getValue().toArray(String[]::new));
      List<Column> asText = new ArrayList<>();
      for (StructField f : rows.schema().fields()) {
        asText.add(f.dataType() instanceof BinaryType ? col("`" + f.name() + "`").cast("string").as(f.name())
            : col("`" + f.name() + "`"));
      }
      Column json = regexp_replace(to_json(struct(asText.toArray(Column[]::new))), NULL_COUNTS, "");
      Column any = mentions.in(json);
      for (String value : personal) any = any.or(json.contains(value));
      List<String> hits = rows.select(json.as("row")).filter(any).limit(1).as(org.apache.spark.sql.Encoders.STRING())
          .collectAsList();
      if (!hits.isEmpty()) found.put(warehouse.relativize(Path.of(dir.getKey())).toString(), hits.get(0));
    }
    return found;
  }

  private static String hit(String content, RawMentions mentions, List<String> personal) {
    if (mentions.in(content)) return "names the customer";
    return personal.stream().filter(content::contains).findFirst().map(v -> "holds " + v).orElse(null);
  }
}
