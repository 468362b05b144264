package io.shoplake.serving;

import io.shoplake.core.RedisSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One JSON value per Redis hash, field {@code value}, written only over an older version. */
public final class VersionedValues {
  private VersionedValues() {}

  /** @param rows redis_key string, value string, version long */
  public static void write(Dataset<Row> rows, RedisSettings redis) {
    rows.foreachPartition((ForeachPartitionFunction<Row>) it -> {
      List<VersionedHashWriter.FieldUpdate> updates = new ArrayList<>();
      it.forEachRemaining(r -> updates.add(
          new VersionedHashWriter.FieldUpdate(r.getString(0), "value", r.getString(1), r.getLong(2))));
      if (updates.isEmpty()) return;
      // Waits out a Redis outage instead of failing the stream (see ResilientRedis).
      try (ResilientRedis r = new ResilientRedis(redis)) {
        r.call(c -> VersionedHashWriter.write(c.jedis(), c.scriptSha(), updates));
      }
    });
  }
}
