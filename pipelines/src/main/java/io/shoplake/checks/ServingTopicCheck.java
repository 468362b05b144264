package io.shoplake.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.max_by;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Do the compacted serving topics say what Redis says? A storefront that rebuilds its cache from
 * a topic must end where one reading Redis is. Availability: per product, the last message's
 * units per location are Redis' fields (both serving paths publish the product's whole value,
 * so the last message alone must be complete). Prices: per product, the last message is Redis'
 * value, but for its version tag (a Redis that lost its data is given every product again,
 * tagged with the version of the batch that did it).
 */
public final class ServingTopicCheck {
  private static final StructType MESSAGE = new StructType()
      .add("locations", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType));

  private ServingTopicCheck() {}

  /** Product ids whose last price message differs from Redis' value (version tag aside), or that one side lacks. */
  public static Set<String> priceDifferences(SparkSession spark, KafkaConnection kafka, String topic,
      RedisSettings redis) {
    Map<String, String> published = new TreeMap<>();
    for (Row r : lastPerKey(spark, kafka, topic).collectAsList()) {
      published.put(r.getString(0), r.getString(1));
    }
    Map<String, String> inRedis = new TreeMap<>();
    String prefix = redis.keyPrefix() + ":price:";
    try (Jedis jedis = redis.connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(500));
        for (String key : page.getResult()) inRedis.put(key.substring(prefix.length()), jedis.hget(key, "value"));
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return differences(published, inRedis, ServingTopicCheck::withoutVersion);
  }

  private static org.apache.spark.sql.Dataset<Row> lastPerKey(SparkSession spark, KafkaConnection kafka, String topic) {
    return spark.read().format("kafka").options(kafka.sparkOptions())
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("endingOffsets", "latest")
        .load()
        // One key's messages share a partition, so the offset orders them.
        .groupBy(col("key").cast("string").as("key"))
        .agg(max_by(col("value").cast("string"), col("offset")).as("value"));
  }

  /**
   * Keys whose values, as {@code compared} sees them, differ between the topic's last messages
   * and Redis, or that one side lacks; each with both values.
   */
  static <V> Set<String> differences(Map<String, V> published, Map<String, V> inRedis,
      java.util.function.Function<? super V, ?> compared) {
    Set<String> diff = new TreeSet<>();
    published.forEach((k, v) -> {
      V other = inRedis.get(k);
      if (other == null || !compared.apply(v).equals(compared.apply(other))) diff.add(k + " topic " + v + " redis " + other);
    });
    inRedis.forEach((k, v) -> {
      if (!published.containsKey(k)) diff.add(k + " topic null redis " + v);
    });
    return diff;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A price message without its version tag; text that is not a JSON object stays as it is. */
  static String withoutVersion(String json) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(json);
      node.remove("version");
      return node.toString();
    } catch (java.io.IOException | ClassCastException e) {
      return json;
    }
  }

  public static boolean exists(KafkaConnection kafka, String topic) {
    try (var admin = kafka.admin(Map.of())) {
      return admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS).contains(topic);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not list the topics of " + kafka, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted listing the topics of " + kafka, e);
    }
  }

  /** "product/location" keys whose units differ between the topic's last messages and Redis, or that one side lacks. */
  public static Set<String> availabilityDifferences(SparkSession spark, KafkaConnection kafka, String topic,
      RedisSettings redis) {
    Map<String, Integer> published = new TreeMap<>();
    for (Row r : lastPerKey(spark, kafka, topic)
        .select(col("key"), explode(from_json(col("value"), MESSAGE).getField("locations")))
        .collectAsList()) {
      published.put(AvailabilityComparison.key(Long.parseLong(r.getString(0)), r.getString(1)), r.getInt(2));
    }
    return differences(published, AvailabilityComparison.redis(redis), java.util.function.Function.identity());
  }
}
