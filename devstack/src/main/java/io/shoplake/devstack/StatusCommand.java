package io.shoplake.devstack;

import io.shoplake.devstack.kafka.KafkaBroker;
import io.shoplake.devstack.postgres.ShopDatabase;
import io.shoplake.devstack.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "One line per service, up or down, with its endpoint. Exit 0 if all are up, 3 otherwise.")
final class StatusCommand implements Callable<Integer> {

    static final int NOT_ALL_UP = 3;

    @Option(names = "--state-dir", required = true)
    Path stateDir;

    @Override
    public Integer call() {
        DevstackConf conf;
        try {
            conf = DevstackConf.read(stateDir);
        } catch (RuntimeException e) {
            for (String s : new String[] {"kafka", "postgres", "redis", "s3", "debezium"}) {
                System.out.println(s + " down (no devstack.conf in " + stateDir + ")");
            }
            return NOT_ALL_UP;
        }
        boolean all = line("kafka", conf.kafka().toString(), () -> kafkaUp(conf))
                & line("postgres", conf.postgresJdbcUrl(), () -> postgresUp(conf, false))
                & line("redis", conf.redis().toString(), () -> conf.redis().ping())
                & line("s3", conf.s3Endpoint(), () -> s3Up(conf))
                & line("debezium", "slot " + ShopDatabase.SLOT, () -> postgresUp(conf, true));
        return all ? 0 : NOT_ALL_UP;
    }

    private static boolean line(String service, String endpoint, BooleanSupplier check) {
        boolean up = check.getAsBoolean();
        System.out.println(service + " " + (up ? "up" : "down") + " " + endpoint);
        return up;
    }

    private static boolean kafkaUp(DevstackConf conf) {
        try (Admin admin = Admin.create(KafkaBroker.adminProps(conf.kafka()))) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Debezium runs inside `up`, so its liveness is read where it shows: an active replication slot. */
    private static boolean postgresUp(DevstackConf conf, boolean slotActive) {
        Properties p = new Properties();
        p.setProperty("user", conf.postgresUser());
        p.setProperty("password", conf.postgresPassword());
        p.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection(conf.postgresJdbcUrl(), p);
             PreparedStatement ps = c.prepareStatement(slotActive
                     ? "select count(*) from pg_replication_slots where slot_name = '" + ShopDatabase.SLOT
                         + "' and active"
                     : "select 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) == 1;
        } catch (Exception e) {
            return false;
        }
    }

    /** Any HTTP answer (403 for an unsigned request) proves S3Proxy is serving. */
    private static boolean s3Up(DevstackConf conf) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(conf.s3Endpoint() + "/"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() > 0;
        } catch (Exception e) {
            return false;
        }
    }
}
