package io.shoplake.serving;

import io.shoplake.core.ErasureTarget;
import io.shoplake.core.KafkaConnection;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A tombstone under the customer's key (the id's text, as the publishers write it) on a compacted
 * serving topic: consumers keeping the latest value per key drop the customer, and the broker's
 * compaction removes their earlier values ({@code max.compaction.lag.ms} bounds when).
 */
public final class CompactedTopicErasure implements ErasureTarget {
  private final KafkaConnection kafka;
  private final String topic;

  public CompactedTopicErasure(KafkaConnection kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  @Override
  public String name() {
    return "tombstone on " + topic;
  }

  @Override
  public long erase(Context context) throws Exception {
    try (Admin admin = kafka.admin(Map.of())) {
      if (!admin.listTopics().names().get().contains(topic)) return 0;
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(),
        new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, Long.toString(context.customerId()), null)).get();
    }
    return 1;
  }
}
