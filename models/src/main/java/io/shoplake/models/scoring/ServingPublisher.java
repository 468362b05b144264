package io.shoplake.models.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import io.shoplake.serving.ServingTopics;
import io.shoplake.serving.VersionedHashWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import redis.clients.jedis.Jedis;

/**
 * Publishes gold.recommendations / gold.similar_items under the serving contract: one JSON value
 * per customer (or product) to a Redis hash field {@code value} through the versioned writer,
 * and to a compacted Kafka topic keyed by the id.
 *
 * <p>The serving version is the Delta version of the table the value was published from, not
 * the model version: it grows with every scoring run, including one after a rollback to an
 * older model, which a model version would not (the versioned writer would keep the rolled-back
 * model's values). The model version travels inside the value.
 */
public final class ServingPublisher {
  private ServingPublisher() {}

  /** @param keyColumn customer_id or product_id; {@code itemColumn} product_id or similar_product_id */
  public static void publish(Dataset<Row> table, String keyColumn, String itemColumn, String redisKind,
      RedisSettings redis, KafkaConnection kafka, String topic, int partitions, long version) {
    Dataset<Row> values = values(table, keyColumn, itemColumn, version).persist();
    try {
      toRedis(values, redis, redisKind, version);
      ServingTopics.ensureCompacted(kafka, topic, partitions);
      ServingTopics.write(values, kafka, topic);
    } finally {
      values.unpersist();
    }
  }

  /** Each value to {@code <prefix>:<kind>:<key>}, field {@code value}, only over an older version. */
  static void toRedis(Dataset<Row> values, RedisSettings redis, String redisKind, long version) {
    values.foreachPartition((ForeachPartitionFunction<Row>) rows -> {
      List<VersionedHashWriter.FieldUpdate> updates = new ArrayList<>();
      rows.forEachRemaining(r -> updates.add(new VersionedHashWriter.FieldUpdate(
          redis.keyPrefix() + ":" + redisKind + ":" + r.getString(0), "value", r.getString(1), version)));
      if (updates.isEmpty()) return;
      try (Jedis jedis = redis.connect()) {
        VersionedHashWriter.write(jedis, updates);
      }
    });
  }

  /** {@code key, value}: value = {"<key>", "products": [...ranked], "source", "model_version", "version"}. */
  static Dataset<Row> values(Dataset<Row> table, String keyColumn, String itemColumn, long version) {
    return table.groupBy(keyColumn)
        .agg(sort_array(collect_list(struct(col("rank"), col(itemColumn).as("p")))).as("ranked"),
            first("source").as("source"), first("model_version").as("model_version"))
        .select(col(keyColumn).cast("string").as("key"),
            to_json(struct(col(keyColumn), transform(col("ranked"), x -> x.getField("p")).as("products"),
                col("source"), col("model_version"), lit(version).as("version"))).as("value"));
  }
}
