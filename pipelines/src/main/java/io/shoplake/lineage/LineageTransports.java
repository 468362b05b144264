package io.shoplake.lineage;

import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.ConsoleTransport;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.KafkaConfig;
import io.openlineage.client.transports.KafkaTransport;
import io.openlineage.client.transports.Transport;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.LineageSettings;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** OpenLineage's own transport for {@code shoplake.lineage.transport}. */
final class LineageTransports {
  private LineageTransports() {}

  static Transport of(LineageSettings settings, Supplier<KafkaSettings> kafka) {
    return switch (settings.transport()) {
      case NONE -> throw new IllegalArgumentException("shoplake.lineage.transport is none: no events are sent");
      case CONSOLE -> new ConsoleTransport();
      case FILE -> new FileTransport(new FileConfig(settings.file()));
      case KAFKA -> new KafkaTransport(new KafkaConfig(settings.topic(), null, producer(kafka.get())));
      case HTTP -> new HttpTransport(http(settings));
    };
  }

  private static Properties producer(KafkaSettings kafka) {
    Properties props = kafka.connection().properties();
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    // A broker that is away must not hold a job's start or end for the producer's default minute.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    return props;
  }

  private static HttpConfig http(LineageSettings settings) {
    HttpConfig config = new HttpConfig();
    config.setUrl(settings.url());
    config.setTimeoutInMillis(10_000);
    if (settings.httpToken() != null && !settings.httpToken().isEmpty()) {
      ApiKeyTokenProvider token = new ApiKeyTokenProvider();
      token.setApiKey(settings.httpToken());
      config.setAuth(token);
    }
    return config;
  }
}
