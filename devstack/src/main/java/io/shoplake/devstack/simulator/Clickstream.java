package io.shoplake.devstack.simulator;

import io.shoplake.devstack.kafka.KafkaAccess;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Web/app click events to the {@code clickstream} topic, keyed by session so a session stays ordered. */
final class Clickstream implements AutoCloseable {

    static final String TOPIC = "clickstream";
    /** Always milliseconds, so every consumer can parse one fixed pattern. */
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final ObjectMapper json = new ObjectMapper();
    private final Random random;
    private volatile Exception sendFailure;

    Clickstream(KafkaAccess kafka, Random random) {
        this(kafka, TOPIC, random);
    }

    Clickstream(KafkaAccess kafka, String topic, Random random) {
        this.topic = topic;
        Properties p = kafka.clientProps();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "shoplake-simulator");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.random = random;
    }

    void send(Session s, Long productId, String eventType, Consumer<ObjectNode> attributes) {
        send(s, productId, eventType, attributes, null);
    }

    /**
     * A click that happened at {@code at}: its {@code ts} and its Kafka timestamp say so, as if
     * the client had sent it then. Null means now, with the broker's clock on the record.
     */
    void send(Session s, Long productId, String eventType, Consumer<ObjectNode> attributes, Instant at) {
        ObjectNode e = json.createObjectNode();
        e.put("event_id", uuid().toString());
        e.put("session_id", s.sessionId);
        if (s.customerId == null) {
            e.putNull("customer_id");
        } else {
            e.put("customer_id", s.customerId);
        }
        if (productId == null) {
            e.putNull("product_id");
        } else {
            e.put("product_id", productId);
        }
        e.put("event_type", eventType);
        e.put("channel", s.channel);
        e.put("ts", TS.format(at == null ? Instant.now() : at));
        attributes.accept(e.putObject("attributes"));
        publish(s.sessionId, e.toString(), at);
    }

    /** A record as it is, readable or not, sent at {@code at}. */
    void sendRaw(String key, String value, Instant at) {
        publish(key, value, at);
    }

    private void publish(String key, String value, Instant at) {
        if (sendFailure != null) {
            throw new IllegalStateException("clickstream publishing failed", sendFailure);
        }
        Long timestamp = at == null ? null : at.toEpochMilli();
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (md, ex) -> {
            if (ex != null) {
                sendFailure = ex;
            }
        });
    }

    /** Seeded like everything else, so a run's ids are reproducible. */
    UUID uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
        if (sendFailure != null) {
            throw new IllegalStateException("clickstream publishing failed", sendFailure);
        }
    }
}
