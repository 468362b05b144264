package io.shoplake.checks;

import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.core.RedisSettings;
import io.shoplake.serving.AvailabilityHash;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Available-to-promise per "product_id/location_id" as PostgreSQL, gold and Redis each see
 * it, and the keys where they differ. The truth is computed by SQL in the shop database.
 */
public final class AvailabilityComparison {
  private AvailabilityComparison() {}

  public static String key(long productId, String locationId) {
    return productId + "/" + locationId;
  }

  public static Map<String, Integer> postgres(PostgresSettings pg) throws SQLException {
    Map<String, Integer> truth = new TreeMap<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(
             "SELECT product_id, location_id, GREATEST(on_hand - reserved, 0) FROM inventory")) {
      while (rs.next()) truth.put(key(rs.getLong(1), rs.getString(2)), rs.getInt(3));
    }
    return truth;
  }

  public static Map<String, Integer> gold(SparkSession spark, Tables tables) {
    Map<String, Integer> gold = new TreeMap<>();
    for (Row r : TableAccess.of(spark, tables).read(Tables.GOLD_INVENTORY_AVAILABILITY)
        .filter("NOT is_deleted").select("product_id", "location_id", "available").collectAsList()) {
      gold.put(key(r.getLong(0), r.getString(1)), r.getInt(2));
    }
    return gold;
  }

  /** Location fields of every availability hash (versions and totals left out). */
  public static Map<String, Integer> redis(RedisSettings settings) {
    Map<String, Integer> values = new TreeMap<>();
    hashes(settings).forEach((productId, hash) -> hash.forEach((field, value) -> {
      AvailabilityHash.location(field).ifPresent(location -> values.put(key(productId, location), Integer.parseInt(value)));
    }));
    return values;
  }

  /** Every availability hash in Redis, whole, by product id. */
  public static Map<Long, Map<String, String>> hashes(RedisSettings settings) {
    Map<Long, Map<String, String>> hashes = new TreeMap<>();
    String prefix = settings.keyPrefix() + ":availability:";
    try (Jedis jedis = settings.connect()) {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(500));
        for (String key : page.getResult()) {
          hashes.put(Long.parseLong(key.substring(prefix.length())), jedis.hgetAll(key));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    return hashes;
  }

  /**
   * Keys whose value differs. A location Redis shows at 0 that the truth lacks is not a
   * difference: a deleted inventory row is published as "nothing available".
   */
  public static Set<String> differences(Map<String, Integer> truth, Map<String, Integer> other) {
    Set<String> diff = new TreeSet<>();
    truth.forEach((k, v) -> {
      if (!v.equals(other.get(k))) diff.add(k);
    });
    other.forEach((k, v) -> {
      if (!truth.containsKey(k) && v != 0) diff.add(k);
    });
    return diff;
  }
}
