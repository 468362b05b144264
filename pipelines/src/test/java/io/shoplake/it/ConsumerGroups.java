package io.shoplake.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Consumer groups as Kafka's tools see them, and the offsets ingest has made durable. */
final class ConsumerGroups {
  private ConsumerGroups() {}

  /** A group's committed offsets, read through the admin API; empty when the group does not exist. */
  static Map<TopicPartition, Long> committed(ShoplakeConfig config, String group) throws Exception {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.string("shoplake.kafka.bootstrap-servers")))) {
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
    }
    return offsets;
  }

  /**
   * Per partition of the shop's topics, one past the last offset ingest kept: in bronze, or in
   * the quarantine when a record could not be read at all.
   */
  static Map<TopicPartition, Long> ingested(SparkSession spark, Tables tables) {
    Dataset<Row> kept = spark.read().format("delta").load(tables.path(Tables.QUARANTINE))
        .filter(col("stage").equalTo("bronze.ingest")).select("topic", "partition", "offset");
    for (String topic : tables.topics().sources()) {
      kept = kept.unionByName(spark.read().format("delta").load(tables.path(Tables.bronzeFor(topic)))
          .select("topic", "partition", "offset"));
    }
    Map<TopicPartition, Long> next = new HashMap<>();
    for (Row r : kept.groupBy("topic", "partition").agg(max(col("offset"))).collectAsList()) {
      next.put(new TopicPartition(r.getString(0), r.getInt(1)), r.getLong(2) + 1);
    }
    return next;
  }
}
