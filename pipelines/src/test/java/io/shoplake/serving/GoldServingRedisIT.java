package io.shoplake.serving;

import io.shoplake.core.RedisSettings;
import static io.shoplake.testing.GoldFixture.fields;
import static io.shoplake.testing.GoldFixture.ts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.core.Tables;
import io.shoplake.pricing.PriceRecommendationsJob;
import io.shoplake.pricing.PricingSettings;
import io.shoplake.segments.CustomerSegmentsJob;
import io.shoplake.segments.SegmentsSettings;
import io.shoplake.testing.SilverClicks;
import io.shoplake.testing.GoldFixture;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Segments and prices in a real Redis (a private redis-server, as the devstack starts one):
 * two gold cycles are published newest first, then the older one is replayed; Redis must end
 * equal to gold's latest state, each value at the version that wrote it.
 */
class GoldServingRedisIT {
  private static final Instant DAY_1 = Instant.parse("2026-11-25T12:00:00Z");
  private static final Instant DAY_2 = Instant.parse("2026-11-26T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static RedisSettings redis;
  /** Gold of two days, built once: every test reads it and writes Redis under its own prefix. */
  static GoldFixture shop;

  @BeforeAll
  static void buildGold(@TempDir Path warehouse) {
    shop = twoGoldCycles(warehouse);
  }

  @BeforeAll
  static void startRedis() throws Exception {
    int port = io.shoplake.testing.FreePort.pick();
    redis = new RedisSettings("127.0.0.1", port, null, "it-gold");
    startRedisOnPort();
  }

  /** Without persistence: a restarted Redis comes back empty. */
  private static void startRedisOnPort() throws Exception {
    Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(redis.port()), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "yes", "--pidfile", dir.resolve("redis.pid").toString(),
        "--dir", dir.toString()).inheritIO().start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      try (Jedis jedis = redis.connect()) {
        return "PONG".equals(jedis.ping());
      }
    });
  }

  @AfterAll
  static void stopRedis() throws Exception {
    long pid = Long.parseLong(Files.readString(dir.resolve("redis.pid")).trim());
    ProcessHandle.of(pid).ifPresent(p -> {
      p.destroy();
      p.onExit().join();
    });
  }

  @Test
  void redisEndsEqualToGoldWhenNewerCyclesArePublishedBeforeOlderOnes() throws Exception {
    // Versions: 0 created the tables, 1 is day 1, 2 is day 2. Newest first, then the older replayed.
    for (long version : new long[] {2, 1}) {
      SegmentsServingJob.toRedis(shop.spark, shop.tables, redis,
          SegmentMessages.membershipChanges(changeFeed(shop, Tables.GOLD_CUSTOMER_SEGMENTS, version)), version);
      PriceServingJob.toRedis(PriceMessages.latest(changeFeed(shop, Tables.GOLD_PRICE_RECOMMENDATIONS, version)), redis);
    }

    assertRedisServesGold(shop, redis);
  }

  @Test
  void afterRedisLostItsDataTheNextBatchPublishesEverySegmentAndPriceAgain() throws Exception {
    RedisSettings lost = new RedisSettings(redis.host(), redis.port(), null, "it-gold-lost");
    publishDay1(shop, lost);
    try (Jedis jedis = lost.connect()) {
      jedis.flushAll();
    }

    // The next batches touch customer 1 and product 1 only; the others were published before the loss.
    publishDay2OfCustomer1AndProduct1(shop, lost);
    assertRedisServesGold(shop, lost);

    // With nothing lost, a batch writes only what it touched.
    try (Jedis jedis = lost.connect()) {
      jedis.del("it-gold-lost:segments:3", "it-gold-lost:price:2");
      publishDay2OfCustomer1AndProduct1(shop, lost);
      assertThat(jedis.exists("it-gold-lost:segments:3")).isFalse();
      assertThat(jedis.exists("it-gold-lost:price:2")).isFalse();
    }
  }

  @Test
  void segmentsAndPricesWaitOutARedisOutageAndArePublishedWhollyWhenItComesBackEmpty() throws Exception {
    RedisSettings served = new RedisSettings(redis.host(), redis.port(), null, "it-gold-outage");
    publishDay1(shop, served);

    stopRedis();
    CompletableFuture<Void> nextBatches = CompletableFuture.runAsync(() -> publishDay2OfCustomer1AndProduct1(shop, served));
    Thread.sleep(3_000);
    assertThat(nextBatches).as("the batches wait for Redis instead of failing").isNotDone();

    startRedisOnPort();
    nextBatches.get(2, TimeUnit.MINUTES);
    assertRedisServesGold(shop, served);
  }

  /** The serving jobs' Redis writes for day 1's gold commits, whole. */
  private static void publishDay1(GoldFixture shop, RedisSettings target) {
    SegmentsServingJob.publishRedis(shop.spark, shop.tables, target,
        SegmentMessages.membershipChanges(changeFeed(shop, Tables.GOLD_CUSTOMER_SEGMENTS, 1)), 1);
    PriceServingJob.publishRedis(shop.spark, shop.tables, target,
        PriceMessages.latest(changeFeed(shop, Tables.GOLD_PRICE_RECOMMENDATIONS, 1)));
  }

  /** Batches of day 2's gold commits that touch customer 1 and product 1 only. */
  private static void publishDay2OfCustomer1AndProduct1(GoldFixture shop, RedisSettings target) {
    SegmentsServingJob.publishRedis(shop.spark, shop.tables, target,
        SegmentMessages.membershipChanges(changeFeed(shop, Tables.GOLD_CUSTOMER_SEGMENTS, 2)).filter("customer_id = 1"), 2);
    PriceServingJob.publishRedis(shop.spark, shop.tables, target,
        PriceMessages.latest(changeFeed(shop, Tables.GOLD_PRICE_RECOMMENDATIONS, 2)).filter("product_id = 1"));
  }

  /** Redis serves every customer's segments and every product's price as gold holds them now (day 2). */
  private static void assertRedisServesGold(GoldFixture shop, RedisSettings target) throws Exception {
    String prefix = target.keyPrefix();
    Map<Long, Set<String>> goldSegments = new HashMap<>();
    for (Row r : gold(shop, Tables.GOLD_CUSTOMER_SEGMENTS).select("customer_id", "segment").collectAsList()) {
      goldSegments.computeIfAbsent(r.getLong(0), c -> new TreeSet<>()).add(r.getString(1));
    }
    assertThat(goldSegments).containsKeys(1L, 2L, 3L).doesNotContainKey(4L);
    try (Jedis jedis = target.connect()) {
      for (var e : goldSegments.entrySet()) {
        JsonNode value = JSON.readTree(jedis.hget(prefix + ":segments:" + e.getKey(), "value"));
        Set<String> served = new TreeSet<>();
        value.get("segments").forEach(s -> served.add(s.get("segment").asText()));
        assertThat(served).as("customer %d", e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(jedis.hget(prefix + ":segments:1", "_version")).isEqualTo("2");
      for (Row r : gold(shop, Tables.GOLD_PRICE_RECOMMENDATIONS).select("product_id", "recommended_price").collectAsList()) {
        JsonNode value = JSON.readTree(jedis.hget(prefix + ":price:" + r.getLong(0), "value"));
        assertThat(value.get("recommended_price").decimalValue()).isEqualByComparingTo(r.getDecimal(1));
        assertThat(value.get("version").asLong()).isEqualTo(2L);
        assertThat(jedis.hget(prefix + ":price:" + r.getLong(0), "_version")).isEqualTo("2");
      }
    }
  }

  /** Gold segments and prices of two days: version 0 created the tables, 1 is day 1, 2 is day 2. */
  private static GoldFixture twoGoldCycles(Path warehouse) {
    GoldFixture shop = new GoldFixture(warehouse);
    shop.insert(Tables.SILVER_PRODUCTS,
        fields("product_id", 1L, "category", "books", "price", new BigDecimal("100.00"), "cost", new BigDecimal("50.00")),
        fields("product_id", 2L, "category", "games", "price", new BigDecimal("20.00"), "cost", new BigDecimal("10.00")));
    for (long c = 1; c <= 4; c++) {
      shop.insert(Tables.SILVER_ORDERS, fields("order_id", c, "customer_id", c, "status", c == 4 ? "cancelled" : "paid",
          "total", new BigDecimal(c * 10 + ".00"), "created_at", ts("2026-11-2" + c + "T12:00:00Z")));
      shop.insert(Tables.SILVER_ORDER_ITEMS, fields("order_id", c, "line_no", 1, "product_id", c % 2 + 1,
          "location_id", "wh", "quantity", 1, "unit_price", new BigDecimal("1.00")));
    }
    shop.commit();
    SilverClicks.of().views(25, 1, "2026-11-25T10:00:00Z").view("s1", 1L, 1, "2026-11-25T10:00:00Z")
        .addToCart("s2", 2L, 2, "2026-11-25T09:00:00Z").write(shop.spark, shop.tables);
    SegmentsSettings segments = SegmentsSettings.from(shop.config);
    PricingSettings pricing = PricingSettings.from(shop.config);
    CustomerSegmentsJob.cycle(shop.spark, shop.tables, segments, DAY_1);
    PriceRecommendationsJob.cycle(shop.spark, shop.tables, pricing, DAY_1);
    shop.insert(Tables.SILVER_ORDERS, fields("order_id", 5L, "customer_id", 1L, "status", "paid", "total",
        new BigDecimal("99.00"), "created_at", ts("2026-11-26T09:00:00Z")));
    shop.commit();
    CustomerSegmentsJob.cycle(shop.spark, shop.tables, segments, DAY_2);
    PriceRecommendationsJob.cycle(shop.spark, shop.tables, pricing, DAY_2);

    return shop;
  }

  private static Dataset<Row> gold(GoldFixture shop, io.shoplake.core.TableId table) {
    return shop.spark.read().format("delta").load(shop.tables.path(table));
  }

  private static Dataset<Row> changeFeed(GoldFixture shop, io.shoplake.core.TableId table, long version) {
    return shop.spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", version)
        .option("endingVersion", version).load(shop.tables.path(table));
  }
}
