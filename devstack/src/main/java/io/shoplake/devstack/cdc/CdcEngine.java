package io.shoplake.devstack.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.shoplake.devstack.kafka.KafkaAccess;
import io.shoplake.devstack.postgres.ShopDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's embedded PostgreSQL connector publishing to Kafka with our own producer: the same
 * topics and payloads as Kafka Connect would produce, without running a Connect worker.
 */
public final class CdcEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdcEngine.class);

    private final KafkaProducer<String, String> producer;
    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium"));
    private volatile Throwable failure;

    public CdcEngine(KafkaAccess kafka, int pgPort, String cdcPassword, Path offsetFile) {
        this.producer = new KafkaProducer<>(producerProps(kafka));
        // Json for the headers too: with create(Json.class) alone the outbox headers are dropped.
        this.engine = DebeziumEngine.<String, String, String>create(Json.class, Json.class, Json.class)
                .using(connectorProps(pgPort, cdcPassword, offsetFile))
                .notifying(this::publish)
                .using((success, message, error) -> {
                    if (!success) {
                        failure = error != null ? error : new IllegalStateException(message);
                        LOG.error("Debezium engine stopped: {}", message, error);
                    }
                })
                .build();
    }

    public void start() {
        executor.execute(engine);
    }

    public Throwable failure() {
        return failure;
    }

    /**
     * At-least-once: a batch counts as processed only after Kafka has acknowledged all of it, so a
     * crash replays rather than loses. No transaction: its markers would leave offset gaps that the
     * downstream reconciliation would read as missing events.
     */
    private void publish(List<ChangeEvent<String, String>> batch,
                         DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (ChangeEvent<String, String> e : batch) {
            ProducerRecord<String, String> record = new ProducerRecord<>(e.destination(), null, key(e), e.value());
            for (io.debezium.engine.Header<String> h : e.<String>headers()) {
                // Skip Debezium's own __debezium.context.* bookkeeping headers: noise for every consumer.
                if (h.getValue() != null && !h.getKey().startsWith("__debezium")) {
                    record.headers().add(new RecordHeader(h.getKey(), unquote(h.getValue()).getBytes(StandardCharsets.UTF_8)));
                }
            }
            sent.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ex) {
                // Not marking the batch: the engine stops and the events are replayed on the next start.
                throw new IllegalStateException("Kafka rejected a CDC event", ex.getCause());
            }
        }
        for (ChangeEvent<String, String> e : batch) {
            committer.markProcessed(e);
        }
        committer.markBatchFinished();
    }

    /**
     * The outbox key is a plain string (the aggregate id); the JSON converter would quote it, and
     * consumers would then have to strip the quotes before joining on the id.
     */
    private static String key(ChangeEvent<String, String> e) {
        String k = e.key();
        return e.destination().startsWith("events.") && k != null ? unquote(k) : k;
    }

    /** The JSON header converter writes a string header as a JSON string literal. */
    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    static Properties producerProps(KafkaAccess kafka) {
        Properties p = kafka.clientProps();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "shoplake-cdc");
        return p;
    }

    static Properties connectorProps(int pgPort, String cdcPassword, Path offsetFile) {
        Properties p = new Properties();
        p.setProperty("name", "shoplake-cdc");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsetFile.toString());
        // Flush offsets after every batch: with the 60 s default a crash replays a minute of events.
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", Integer.toString(pgPort));
        p.setProperty("database.user", ShopDatabase.CDC_USER);
        p.setProperty("database.password", cdcPassword);
        p.setProperty("database.dbname", ShopDatabase.DATABASE);
        p.setProperty("topic.prefix", "shop");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", ShopDatabase.SLOT);
        p.setProperty("publication.name", ShopDatabase.PUBLICATION);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", ShopDatabase.TABLES.stream().map(t -> "public." + t)
                .collect(Collectors.joining(",")));
        p.setProperty("snapshot.mode", "initial");
        // "1234.56": exact and readable without a schema (see STACK-NOTES on `precise`).
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("poll.interval.ms", "10");
        p.setProperty("converter.schemas.enable", "false");

        p.setProperty("predicates", "outbox");
        p.setProperty("predicates.outbox.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        p.setProperty("predicates.outbox.pattern", "shop\\.public\\.outbox");
        p.setProperty("transforms", "route,outbox");
        p.setProperty("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        p.setProperty("transforms.route.regex", "shop\\.public\\.(.*)");
        p.setProperty("transforms.route.replacement", "shop.$1");
        p.setProperty("transforms.route.predicate", "outbox");
        p.setProperty("transforms.route.negate", "true");
        p.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        p.setProperty("transforms.outbox.predicate", "outbox");
        p.setProperty("transforms.outbox.route.topic.replacement", "events.${routedByValue}");
        p.setProperty("transforms.outbox.table.expand.json.payload", "true");
        p.setProperty("transforms.outbox.table.fields.additional.placement",
                "id:envelope:eventId,type:envelope:eventType,type:header:eventType");
        return p;
    }

    @Override
    public void close() throws Exception {
        try {
            engine.close();
        } finally {
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
