package io.shoplake.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;

/** What a streaming query's progress report says about its Kafka sources. */
public final class KafkaProgress {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaProgress() {}

  /**
   * The offsets each Kafka source of a progress report read to (exclusive: the next record each
   * partition would give); other sources add nothing.
   */
  public static Map<TopicPartition, Long> readTo(SourceProgress[] sources) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (SourceProgress source : sources) {
      if (source.endOffset() == null || !isKafka(source)) continue;
      JsonNode end;
      try {
        end = JSON.readTree(source.endOffset());
      } catch (Exception e) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> topics = end.fields(); topics.hasNext(); ) {
        Map.Entry<String, JsonNode> topic = topics.next();
        for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
          Map.Entry<String, JsonNode> part = parts.next();
          if (!part.getValue().canConvertToLong() || !isInteger(part.getKey())) continue;
          offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(part.getKey())), part.getValue().asLong());
        }
      }
    }
    return offsets;
  }

  /** Spark's Kafka source describes itself as KafkaV2[Subscribe[...]], KafkaV2[Assign[...]] and so on. */
  private static boolean isKafka(SourceProgress source) {
    return source.description() != null && source.description().startsWith("KafkaV2[");
  }

  private static boolean isInteger(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }
}
