package io.shoplake.devstack;

import io.shoplake.devstack.cdc.CdcEngine;
import io.shoplake.devstack.kafka.KafkaBroker;
import io.shoplake.devstack.kafka.KafkaSecurity;
import io.shoplake.devstack.postgres.PostgresCluster;
import io.shoplake.devstack.postgres.ShopDatabase;
import io.shoplake.devstack.process.Files2;
import io.shoplake.devstack.process.Ports;
import io.shoplake.devstack.redis.RedisSecurity;
import io.shoplake.devstack.redis.RedisServer;
import io.shoplake.devstack.tls.SelfSignedCertificate;
import io.shoplake.devstack.s3.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the services in dependency order and stops them in reverse. Each started service pushes
 * its stop action and records its pid/dirs in the state dir at once, so both the shutdown hook and
 * a later {@code down} can undo a start that failed half-way.
 */
public final class Devstack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Devstack.class);

    public static final List<String> TOPICS = List.of("shop.customers", "shop.products", "shop.inventory",
            "shop.orders", "shop.order_items", "events.order", "clickstream");

    private final StateDir state;
    private final boolean secure;
    private final Deque<StopAction> stops = new ArrayDeque<>();
    /** The running services, for {@link #outage}; set by {@link #start}. */
    private KafkaBroker kafka;
    private PostgresCluster pg;
    private RedisServer redis;
    private S3Server s3;
    private CdcEngine cdc;
    private String cdcPassword;

    @FunctionalInterface
    interface StopAction {
        void run() throws Exception;
    }

    public Devstack(StateDir state) {
        this(state, false);
    }

    /** {@code secure}: the services accept authenticated, encrypted connections only (see {@link KafkaSecurity}). */
    public Devstack(StateDir state, boolean secure) {
        this.state = state;
        this.secure = secure;
    }

    public DevstackConf start() throws Exception {
        Files.createDirectories(state.logs());
        // The database is new at every start: an earlier one's offsets would point into other WAL.
        Files.deleteIfExists(state.debeziumOffsets());
        state.writePid(StateDir.DEVSTACK_PID, ProcessHandle.current().pid());
        Path pgBin = PostgresCluster.findBinDir();
        String redisBinary = RedisServer.findBinary();

        String pgSuper = Ports.secret(24);
        String pgOwner = Ports.secret(24);
        cdcPassword = Ports.secret(24);
        String s3Access = "AK" + Ports.secret(18);
        String s3Secret = Ports.secret(40);

        // Kafka first: its JVM takes the longest to boot and runs while we set up PostgreSQL.
        Path kafkaHome = Files.createTempDirectory("shoplake-kafka-");
        state.put("kafka.home", kafkaHome.toString());
        // The secure mode's one certificate, for Kafka and Redis; deleted with Kafka's temp dir.
        SelfSignedCertificate certificate = secure ? SelfSignedCertificate.create(kafkaHome.resolve("tls")) : null;
        kafka = new KafkaBroker(kafkaHome, Ports.free(), Ports.free(),
                secure ? new KafkaSecurity(certificate) : null);
        stops.push(() -> Files2.deleteRecursively(kafkaHome));
        long kafkaPid = kafka.start(state.logs().resolve("kafka.log"));
        state.writePid(StateDir.KAFKA_PID, kafkaPid);
        stops.push(kafka::stop);

        Path pgHome = PostgresCluster.newHome();
        state.put("postgres.home", pgHome.toString());
        state.put("postgres.bindir", pgBin.toString());
        pg = new PostgresCluster(pgBin, pgHome, Ports.free(), pgSuper);
        state.put("postgres.port", Integer.toString(pg.port()));
        state.put("postgres.superuser-password", pgSuper);
        stops.push(pg::deleteFiles);
        stops.push(() -> pg.stop("fast"));
        pg.initAndStart();
        state.writePid(StateDir.POSTGRES_PID, pg.postmasterPid());
        ShopDatabase.create(pg, pgOwner, cdcPassword);

        Path redisHome = Files.createTempDirectory("shoplake-redis-");
        state.put("redis.home", redisHome.toString());
        int redisPort = Ports.free();
        stops.push(() -> Files2.deleteRecursively(redisHome));
        stops.push(() -> RedisServer.stop(state.file(StateDir.REDIS_PID)));
        redis = new RedisServer(redisPort, redisHome, state.file(StateDir.REDIS_PID),
                secure ? new RedisSecurity(certificate) : null);
        redis.start(state.logs().resolve("redis.log"));

        int s3Port = Ports.free();
        s3 = new S3Server(state.s3Data(), s3Port, s3Access, s3Secret);
        s3.start();
        stops.push(s3::stop);

        kafka.awaitReadyAndCreateTopics(TOPICS, 3, Duration.ofSeconds(90));

        stops.push(() -> Files.deleteIfExists(state.debeziumOffsets()));
        stops.push(() -> {
            if (cdc != null) cdc.close();
        });
        startCdc();

        DevstackConf conf = new DevstackConf(kafka.access(), pg.jdbcUrl(ShopDatabase.DATABASE),
                ShopDatabase.OWNER, pgOwner, redis.access(), S3Server.endpoint(s3Port), S3Server.REGION,
                S3Server.BUCKET, s3Access, s3Secret);
        conf.writeTo(state.dir());
        LOG.info("devstack up: {}", conf);
        return conf;
    }

    /**
     * Takes {@code outage}'s service away for {@code down} and gives it back as that kind of outage
     * does (see {@link Outage}); returns once the service is back and answering.
     */
    public synchronized void outage(Outage outage, Duration down) throws Exception {
        LOG.info("outage: {} for {}", outage.description(), down);
        switch (outage) {
            case KAFKA -> {
                kafka.stop();
                Thread.sleep(down.toMillis());
                state.writePid(StateDir.KAFKA_PID, kafka.start(state.logs().resolve("kafka.log")));
                kafka.awaitReadyAndCreateTopics(TOPICS, 3, Duration.ofSeconds(90));
            }
            case REDIS -> {
                RedisServer.stop(state.file(StateDir.REDIS_PID));
                Thread.sleep(down.toMillis());
                redis.start(state.logs().resolve("redis.log"));
            }
            case S3 -> s3.refuseFor(down);
            case POSTGRES -> {
                pg.stop("fast");
                Thread.sleep(down.toMillis());
                pg.start();
                state.writePid(StateDir.POSTGRES_PID, pg.postmasterPid());
                // Debezium retries its lost connection on its own, from its stored offsets.
                awaitSlotActive(pg, cdc, Duration.ofSeconds(90));
            }
            case DEBEZIUM -> {
                cdc.close();
                Thread.sleep(down.toMillis());
                startCdc();
            }
        }
        LOG.info("outage over: {}", outage.description());
    }

    /** Debezium resumes from the offsets file when it holds any: no second snapshot. */
    private void startCdc() throws Exception {
        cdc = new CdcEngine(kafka.access(), pg.port(), cdcPassword, state.debeziumOffsets());
        cdc.start();
        awaitSlotActive(pg, cdc, Duration.ofSeconds(90));
    }

    /**
     * Ready means Debezium streams: the slot turns active once the initial snapshot is taken, so a
     * consumer that starts after READY sees the seed data and every later change.
     */
    private static void awaitSlotActive(PostgresCluster pg, CdcEngine cdc, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = pg.connectAsSuperuser("postgres");
             PreparedStatement ps = c.prepareStatement(
                     "select active from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, ShopDatabase.SLOT);
            while (true) {
                if (cdc.failure() != null) {
                    throw new IllegalStateException("Debezium failed to start", cdc.failure());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Debezium did not start streaming within " + timeout);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Stops in reverse start order; one failing step must not leave the others running. */
    @Override
    public synchronized void close() {
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (Exception e) {
                LOG.warn("cleanup step failed: {}", e.toString());
            }
        }
        try {
            Files.deleteIfExists(state.file(DevstackConf.FILE_NAME));
            state.clear();
        } catch (Exception e) {
            LOG.warn("could not clear the state dir: {}", e.toString());
        }
    }
}
