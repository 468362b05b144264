package io.shoplake.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.sql.streaming.SourceProgress;

/** Kafka lag from a streaming progress report: latest offsets minus the offsets read. */
final class KafkaLag {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaLag() {}

  static long of(SourceProgress[] sources) {
    long lag = 0;
    for (SourceProgress source : sources) {
      if (source.latestOffset() == null || source.endOffset() == null) continue;
      try {
        JsonNode latest = JSON.readTree(source.latestOffset());
        JsonNode end = JSON.readTree(source.endOffset());
        for (Iterator<Map.Entry<String, JsonNode>> topics = latest.fields(); topics.hasNext(); ) {
          Map.Entry<String, JsonNode> topic = topics.next();
          for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields(); parts.hasNext(); ) {
            Map.Entry<String, JsonNode> part = parts.next();
            JsonNode read = end.path(topic.getKey()).path(part.getKey());
            lag += Math.max(0, part.getValue().asLong() - (read.isMissingNode() ? 0 : read.asLong()));
          }
        }
      } catch (Exception e) {
        // Not a Kafka source (or a format we don't know): contributes no lag.
      }
    }
    return lag;
  }
}
