package io.shoplake.devstack.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (broker and controller in one process) in a child JVM. A child, not
 * in-process, because the broker's threads and heap would otherwise compete with Debezium's and
 * because a child can be killed and cleaned up on its own.
 */
public final class KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    public static final String MAIN_CLASS = KafkaChildMain.class.getName();
    private static final String ENV_CONFIG_PROVIDER = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    /** Null: a plain broker. */
    private final KafkaSecurity security;
    /** One per broker: a restart on the same log dirs must present the id they were formatted with. */
    private final String clusterId = Uuid.randomUuid().toString();
    private Process process;

    public KafkaBroker(Path logDir, int port, int controllerPort) {
        this(logDir, port, controllerPort, null);
    }

    /** A broker that listens SASL_SSL only, as {@code security} says; null for a plain one. */
    public KafkaBroker(Path logDir, int port, int controllerPort, KafkaSecurity security) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.security = security;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** What a client needs to reach this broker. */
    public KafkaAccess access() {
        return security == null ? KafkaAccess.plaintext(bootstrapServers())
                : new KafkaAccess(bootstrapServers(), security.clientOptions());
    }

    public long start(Path logFile) throws IOException {
        Path config = logDir.resolve("server.properties");
        Files.writeString(config, serverProperties());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-Djava.awt.headless=true",
                // The secure mode's passwords come from the environment through this provider alone.
                "-Dorg.apache.kafka.automatic.config.providers=" + ENV_CONFIG_PROVIDER,
                "-cp", System.getProperty("java.class.path"),
                MAIN_CLASS, config.toString(), clusterId));
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (security != null) builder.environment().putAll(security.brokerEnvironment());
        process = builder.start();
        LOG.info("Kafka child JVM pid {} starting on {} (log {})", process.pid(), bootstrapServers(), logFile);
        return process.pid();
    }

    private String serverProperties() {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (security != null) p.putAll(security.brokerProperties(port, controllerPort));
        p.put("log.dirs", logDir.resolve("data").toString());
        p.put("num.partitions", "3");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("auto.create.topics.enable", "true");
        // Consumers in tests and demos should not wait 3 s for the first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", "9223372036854775807");
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Waits until the broker answers, then creates the devstack's topics. */
    public void awaitReadyAndCreateTopics(List<String> topics, int partitions, Duration timeout)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminProps(access()))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka child JVM exited with " + process.exitValue()
                            + "; see its log in the state dir");
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka did not start within " + timeout, e);
                    }
                    Thread.sleep(200);
                }
            }
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        }
        LOG.info("Kafka ready on {} with topics {}", bootstrapServers(), topics);
    }

    public static Properties adminProps(KafkaAccess kafka) {
        Properties p = kafka.clientProps();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return p;
    }

    /** SIGTERM lets the broker close its logs cleanly; then closing stdin; then force. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.flush();
            } catch (IOException e) {
                // already closed
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
