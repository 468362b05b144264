package io.shoplake.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Starts the real devstack exactly as the pipelines do, as a child JVM through the CLI, and checks
 * the contract they rely on: topics, keys and envelopes, the services, the simulator, and that
 * {@code down} cleans up after a crash. Samples of each topic go to target/event-samples/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevstackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("target", "event-samples");
    private static Path stateDir;
    private static Process up;
    private static DevstackConf conf;

    @BeforeAll
    static void startDevstack() throws Exception {
        stateDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "devstack-it-");
        Files.createDirectories(SAMPLES);
        up = devstack("up", "--state-dir", stateDir.toString(), "--exit-on-stdin-eof")
                .redirectError(stateDir.resolve("up.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertThat(ready).as("up's first stdout line; see %s/up.log", stateDir)
                .isEqualTo("DEVSTACK READY " + stateDir.resolve("devstack.conf"));
        conf = DevstackConf.read(stateDir);
    }

    @AfterAll
    static void stopDevstack() throws Exception {
        if (up != null && up.isAlive()) {
            up.getOutputStream().close();
            up.waitFor(60, TimeUnit.SECONDS);
        }
        run("down", "--state-dir", stateDir.toString());
    }

    @Test
    @Order(1)
    void devstackConfIsPrivateAndStatusReportsAllUp() throws Exception {
        assertThat(Files.getPosixFilePermissions(stateDir.resolve("devstack.conf")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        Result status = run("status", "--state-dir", stateDir.toString());
        assertThat(status.stdout()).contains("kafka up", "postgres up", "redis up", "s3 up", "debezium up");
        assertThat(status.exitCode()).isZero();
    }

    @Test
    @Order(2)
    void redisAnswersPing() {
        assertThat(conf.redis().ping()).isTrue();
    }

    @Test
    @Order(3)
    void s3BucketExists() {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(conf.s3Endpoint()))
                .region(Region.of(conf.s3Region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(conf.s3AccessKey(), conf.s3SecretKey())))
                .build()) {
            assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains("shoplake");
        }
    }

    @Test
    @Order(4)
    void seedArrivesAsSnapshotReads() throws Exception {
        List<ConsumerRecord<String, String>> products = readUntil("shop.products",
                r -> r.value() != null && json(r.value()).get("op").asText().equals("r"), 60, Duration.ofSeconds(30));
        assertThat(products).hasSize(60);
        sample("shop.products", products.get(0));
    }

    @Test
    @Order(5)
    void inventoryUpdateArrivesWithKeyBeforeAfterAndLsn() throws Exception {
        int before = queryInt("select on_hand from inventory where product_id = 1 and location_id = 'WH-EAST'");
        execute("update inventory set on_hand = on_hand + 5, updated_at = now() "
                + "where product_id = 1 and location_id = 'WH-EAST'");
        Predicate<ConsumerRecord<String, String>> update =
                rec -> rec.value() != null && json(rec.value()).path("op").asText().equals("u");
        ConsumerRecord<String, String> r = first(readUntil("shop.inventory", update, 1, Duration.ofSeconds(30)), update);
        assertThat(json(r.key())).isEqualTo(json("{\"product_id\":1,\"location_id\":\"WH-EAST\"}"));
        JsonNode v = json(r.value());
        assertThat(v.get("before").get("on_hand").asInt()).isEqualTo(before);
        assertThat(v.get("after").get("on_hand").asInt()).isEqualTo(before + 5);
        assertThat(v.get("source").get("lsn").isIntegralNumber()).isTrue();
        assertThat(v.get("source").get("table").asText()).isEqualTo("inventory");
        sample("shop.inventory", r);
    }

    @Test
    @Order(6)
    void outboxInsertIsRoutedToEventsTopicByAggregateType() throws Exception {
        String id = UUID.randomUUID().toString();
        execute("insert into outbox(id, aggregatetype, aggregateid, type, payload) values ('" + id
                + "', 'order', '424242', 'TestEvent', '{\"orderId\":424242,\"total\":\"1.50\"}')");
        Predicate<ConsumerRecord<String, String>> mine = rec -> rec.value() != null && rec.value().contains(id);
        ConsumerRecord<String, String> r = first(readUntil("events.order", mine, 1, Duration.ofSeconds(30)), mine);
        assertThat(r.key()).isEqualTo("424242");
        JsonNode v = json(r.value());
        assertThat(v.get("eventId").asText()).isEqualTo(id);
        assertThat(v.get("eventType").asText()).isEqualTo("TestEvent");
        assertThat(v.get("payload").get("orderId").asLong()).isEqualTo(424242L);
        assertThat(new String(r.headers().lastHeader("id").value(), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(new String(r.headers().lastHeader("eventType").value(), StandardCharsets.UTF_8))
                .isEqualTo("TestEvent");
        sample("events.order", r);
    }

    @Test
    @Order(7)
    void deleteProducesDeleteEventThenTombstone() throws Exception {
        execute("insert into customers(customer_id, email, full_name) values (99999, 'gone@example.com', 'Gone Soon')");
        execute("delete from customers where customer_id = 99999");
        List<ConsumerRecord<String, String>> records = readUntil("shop.customers",
                rec -> rec.key().contains("99999") && rec.value() == null, 1, Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> mine = records.stream().filter(r -> r.key().contains("99999")).toList();
        assertThat(mine).hasSize(3);
        assertThat(json(mine.get(0).value()).get("op").asText()).isEqualTo("c");
        JsonNode delete = json(mine.get(1).value());
        assertThat(delete.get("op").asText()).isEqualTo("d");
        assertThat(delete.get("before").get("email").asText()).isEqualTo("gone@example.com");
        assertThat(delete.get("after").isNull()).isTrue();
        assertThat(mine.get(2).value()).isNull();
        assertThat(json(mine.get(2).key())).isEqualTo(json("{\"customer_id\":99999}"));
        sample("shop.customers", mine.get(1));
    }

    @Test
    @Order(8)
    void simulatorPlacesOrdersAndEmitsClicks() throws Exception {
        Result sim = run("simulate", "--state-dir", stateDir.toString(), "--max-orders", "20", "--rate", "200",
                "--duration", "90s");
        assertThat(sim.exitCode()).as(sim.stdout()).isZero();
        assertThat(sim.stdout()).containsPattern("SIMULATOR DONE orders=20 cancelled=\\d+ shipped=\\d+ "
                + "restocks=\\d+ price_changes=\\d+ customers=\\d+ clicks=[1-9]\\d* events=[1-9]\\d*");
        assertThat(queryInt("select count(*) from orders")).isGreaterThanOrEqualTo(20);
        ConsumerRecord<String, String> click = readUntil("clickstream", r -> true, 1, Duration.ofSeconds(30)).get(0);
        JsonNode c = json(click.value());
        assertThat(click.key()).isEqualTo(c.get("session_id").asText());
        assertThat(c.get("event_type").asText()).isIn("view", "search", "add_to_cart", "remove_from_cart",
                "checkout", "purchase");
        sample("clickstream", click);
        for (String topic : List.of("shop.orders", "shop.order_items")) {
            sample(topic, readUntil(topic, r -> r.value() != null, 1, Duration.ofSeconds(30)).get(0));
        }
        Predicate<ConsumerRecord<String, String>> created = r -> r.value() != null && r.value().contains("OrderCreated");
        sample("events.order.simulated", first(readUntil("events.order", created, 1, Duration.ofSeconds(30)), created));
    }

    @Test
    @Order(9)
    void downAfterCrashLeavesNoProcessBehind() throws Exception {
        Map<String, Long> pids = new java.util.HashMap<>();
        for (String name : List.of("kafka", "postgres", "redis")) {
            pids.put(name, Long.parseLong(Files.readString(stateDir.resolve(name + ".pid")).trim()));
        }
        String pgHome = new StateDir(stateDir).get("postgres.home");
        up.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(pids.get("postgres")).map(ProcessHandle::isAlive)).contains(true);

        Result down = run("down", "--state-dir", stateDir.toString());
        assertThat(down.exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Map.Entry<String, Long> p : pids.entrySet()) {
                assertThat(ProcessHandle.of(p.getValue()).map(ProcessHandle::isAlive)).as(p.getKey())
                        .isNotEqualTo(java.util.Optional.of(true));
            }
            assertThat(processesMentioning(stateDir.toString())).isEmpty();
            assertThat(processesMentioning(pgHome)).isEmpty();
        });
        assertThat(stateDir.resolve("devstack.conf")).doesNotExist();
        assertThat(Path.of(pgHome)).doesNotExist();
        assertThat(run("down", "--state-dir", stateDir.toString()).exitCode()).as("idempotent").isZero();
        assertThat(run("status", "--state-dir", stateDir.toString()).exitCode()).isEqualTo(3);
    }

    // ---- helpers

    private static List<String> processesMentioning(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(text) && !cmd.contains("surefire") && !cmd.contains("failsafe")) {
                        found.add(p.getFileName() + ": " + cmd);
                    }
                } catch (IOException e) {
                    // process ended meanwhile
                }
            }
        }
        return found;
    }

    private static ProcessBuilder devstack(String... args) throws IOException {
        String cp = Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(Path.of("target", "classpath.txt")).trim();
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-cp", cp, DevstackMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    record Result(int exitCode, String stdout) {
    }

    private static Result run(String... args) throws Exception {
        Process p = devstack(args).redirectError(ProcessBuilder.Redirect.appendTo(
                stateDir.resolve("commands.log").toFile())).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** Reads a topic from its start until {@code wanted} records match; returns all it read, in order. */
    private static List<ConsumerRecord<String, String>> readUntil(String topic,
            Predicate<ConsumerRecord<String, String>> match, int wanted, Duration timeout) {
        Properties p = conf.kafka().clientProps();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            await().atMost(timeout).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return all.stream().filter(match).count() >= wanted;
            });
        }
        return all;
    }

    private static ConsumerRecord<String, String> first(List<ConsumerRecord<String, String>> records,
            Predicate<ConsumerRecord<String, String>> match) {
        return records.stream().filter(match).findFirst().orElseThrow();
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static void sample(String name, ConsumerRecord<String, String> r) throws IOException {
        StringBuilder headers = new StringBuilder();
        r.headers().forEach(h -> headers.append(h.key()).append('=')
                .append(new String(h.value(), StandardCharsets.UTF_8)).append(' '));
        Files.writeString(SAMPLES.resolve(name + ".txt"), "topic: " + r.topic() + "\nkey: " + r.key()
                + "\nheaders: " + headers.toString().trim() + "\nvalue: "
                + (r.value() == null ? "null" : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(r.value())))
                + "\n");
    }

    private static int queryInt(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(conf.postgresJdbcUrl(), conf.postgresUser(),
                conf.postgresPassword()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(conf.postgresJdbcUrl(), conf.postgresUser(),
                conf.postgresPassword()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
