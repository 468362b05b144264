package io.shoplake.checks;

import io.shoplake.core.KafkaConnection;import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.shoplake.core.TableAccess;
import io.shoplake.quality.Erasures;
import io.shoplake.core.Tables;
import io.shoplake.ingest.BronzeIngestJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Proves bronze holds every Kafka record exactly once: per topic partition, the records in
 * bronze plus those quarantined at ingest cover the log from its first to its last offset,
 * with no offset twice; records an erasure deleted ({@code quality.erasures}) count as landed.
 * Meaningful once ingest has caught up with the topic.
 */
public final class BronzeReconciliation {
  /** One topic partition's figures; {@code problems} is empty when it reconciles. */
  public record PartitionResult(String topic, int partition, long kafkaRecords, long landed, long distinct,
                                List<String> problems) {}

  private BronzeReconciliation() {}

  public static List<PartitionResult> check(SparkSession spark, Tables tables, KafkaConnection connection) {
    Map<TopicPartition, long[]> kafka = offsets(connection, tables.topics().sources());
    Dataset<Row> quarantined = TableAccess.of(spark, tables).read(Tables.QUARANTINE)
        .filter(col("stage").equalTo(BronzeIngestJob.NAME)).select("topic", "partition", "offset");
    // Records an erasure deleted, from bronze or from ingest's quarantine, still landed once.
    Dataset<Row> erased = Erasures.deletedRecords(TableAccess.of(spark, tables))
        .filter(col("stage").isNull().or(col("stage").equalTo(BronzeIngestJob.NAME))).select("topic", "partition", "offset");
    Map<TopicPartition, Row> landed = new HashMap<>();
    for (String topic : tables.topics().sources()) {
      Dataset<Row> rows = TableAccess.of(spark, tables).read(Tables.bronzeFor(topic))
          .select("topic", "partition", "offset")
          .unionByName(quarantined.filter(col("topic").equalTo(topic)))
          .unionByName(erased.filter(col("topic").equalTo(topic)));
      for (Row r : rows.groupBy("topic", "partition")
          .agg(count(lit(1)), countDistinct(col("offset")), min("offset"), max("offset")).collectAsList()) {
        landed.put(new TopicPartition(r.getString(0), r.getInt(1)), r);
      }
    }
    List<PartitionResult> results = new ArrayList<>();
    kafka.forEach((tp, range) -> {
      Row r = landed.get(tp);
      long records = range[1] - range[0];
      long rows = r == null ? 0 : r.getLong(2);
      long distinct = r == null ? 0 : r.getLong(3);
      List<String> problems = new ArrayList<>();
      if (rows != distinct) problems.add((rows - distinct) + " offsets landed more than once");
      if (distinct != records) problems.add("Kafka holds " + records + " records, bronze+quarantine " + distinct);
      if (r != null && (r.getLong(4) != range[0] || r.getLong(5) != range[1] - 1)) {
        problems.add("landed offsets " + r.getLong(4) + ".." + r.getLong(5) + ", log " + range[0] + ".." + (range[1] - 1));
      }
      results.add(new PartitionResult(tp.topic(), tp.partition(), records, rows, distinct, problems));
    });
    return results;
  }

  /** [beginning, end) offsets of every partition of the topics. */
  static Map<TopicPartition, long[]> offsets(KafkaConnection connection, List<String> topics) {
    Properties props = connection.properties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, long[]> ranges = new HashMap<>();
      partitions.forEach(tp -> ranges.put(tp, new long[] {begin.get(tp), end.get(tp)}));
      return ranges;
    }
  }
}
