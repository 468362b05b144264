package io.shoplake.checks;

import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.core.RedisSettings;
import io.shoplake.serving.AvailabilityHash;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Do the two serving paths agree? Once the flow has settled, every product×location in Redis
 * must hold gold's available units at gold's version (the source LSN). The hot path writes
 * first and the lakehouse path after it, so a hot value that gold does not reproduce, or a
 * gold value Redis never took, shows up here.
 */
public final class ServingCheck {
  private ServingCheck() {}

  /** "product/location" → "available@version" as gold holds it (deleted rows: 0). */
  public static Map<String, String> gold(SparkSession spark, Tables tables) {
    Map<String, String> gold = new TreeMap<>();
    for (Row r : TableAccess.of(spark, tables).read(Tables.GOLD_INVENTORY_AVAILABILITY)
        .select("product_id", "location_id", "available", "version").collectAsList()) {
      gold.put(AvailabilityComparison.key(r.getLong(0), r.getString(1)), r.getInt(2) + "@" + r.getLong(3));
    }
    return gold;
  }

  /** The same from Redis: each location field with its version field. */
  public static Map<String, String> redis(RedisSettings settings) {
    Map<String, String> values = new TreeMap<>();
    AvailabilityComparison.hashes(settings).forEach((productId, hash) -> hash.forEach((field, value) -> {
      AvailabilityHash.location(field).ifPresent(location -> values.put(AvailabilityComparison.key(productId, location),
          value + "@" + hash.get(AvailabilityHash.versionField(field))));
    }));
    return values;
  }

  /** Keys on either side whose value or version differs, or that one side lacks. */
  public static Set<String> differences(Map<String, String> gold, Map<String, String> redis) {
    Set<String> diff = new TreeSet<>();
    gold.forEach((k, v) -> {
      if (!v.equals(redis.get(k))) diff.add(k + " gold " + v + " redis " + redis.get(k));
    });
    redis.forEach((k, v) -> {
      if (!gold.containsKey(k)) diff.add(k + " gold null redis " + v);
    });
    return diff;
  }
}
