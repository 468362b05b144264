package io.shoplake.devstack;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shoplake.devstack.kafka.KafkaAccess;
import io.shoplake.devstack.process.Files2;
import io.shoplake.devstack.redis.RedisAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The endpoints and per-run credentials that {@code up} publishes in {@code devstack.conf}. The
 * pipelines read these exact HOCON keys, so this record is the contract between the two modules.
 */
public record DevstackConf(
        KafkaAccess kafka,
        String postgresJdbcUrl,
        String postgresUser,
        String postgresPassword,
        RedisAccess redis,
        String s3Endpoint,
        String s3Region,
        String s3Bucket,
        String s3AccessKey,
        String s3SecretKey) {

    public static final String FILE_NAME = "devstack.conf";

    public String toHocon() {
        return "# Written by devstack `up`; valid while that process runs. Contains secrets.\n"
                + "shoplake {\n"
                + "  kafka { bootstrap-servers = " + q(kafka.bootstrapServers()) + ", options {"
                + kafka.options().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> " " + q(e.getKey()) + " = " + q(e.getValue())).collect(Collectors.joining(","))
                + " } }\n"
                + "  postgres { jdbc-url = " + q(postgresJdbcUrl) + ", user = " + q(postgresUser)
                + ", password = " + q(postgresPassword) + " }\n"
                + "  redis { host = " + q(redis.host()) + ", port = " + redis.port()
                + (redis.user() == null ? "" : ", user = " + q(redis.user()) + ", password = " + q(redis.password()))
                + (redis.tls() ? ", tls = true, tls-truststore = " + q(redis.truststore()) : "") + " }\n"
                + "  s3 { endpoint = " + q(s3Endpoint) + ", region = " + q(s3Region) + ", bucket = " + q(s3Bucket)
                + ", access-key = " + q(s3AccessKey) + ", secret-key = " + q(s3SecretKey) + " }\n"
                + "}\n";
    }

    public void writeTo(Path stateDir) throws IOException {
        Files2.writePrivateAtomically(stateDir.resolve(FILE_NAME), toHocon());
    }

    /** Fails with the file and the missing key named, so a stale or hand-edited file is easy to fix. */
    public static DevstackConf read(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " not found: is `devstack up --state-dir " + stateDir + "` running?");
        }
        Config c = ConfigFactory.parseFile(file.toFile()).resolve().getConfig("shoplake");
        Map<String, String> kafkaOptions = new TreeMap<>();
        if (c.hasPath("kafka.options")) {
            c.getObject("kafka.options").unwrapped().forEach((k, v) -> kafkaOptions.put(k, String.valueOf(v)));
        }
        return new DevstackConf(
                new KafkaAccess(c.getString("kafka.bootstrap-servers"), kafkaOptions),
                c.getString("postgres.jdbc-url"),
                c.getString("postgres.user"),
                c.getString("postgres.password"),
                new RedisAccess(c.getString("redis.host"), c.getInt("redis.port"),
                        c.hasPath("redis.user") ? c.getString("redis.user") : null,
                        c.hasPath("redis.password") ? c.getString("redis.password") : null,
                        c.hasPath("redis.tls") && c.getBoolean("redis.tls"),
                        c.hasPath("redis.tls-truststore") ? c.getString("redis.tls-truststore") : ""),
                c.getString("s3.endpoint"),
                c.getString("s3.region"),
                c.getString("s3.bucket"),
                c.getString("s3.access-key"),
                c.getString("s3.secret-key"));
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Never print the secrets, not even by accident through a log of the record. */
    @Override
    public String toString() {
        return "DevstackConf[kafka=" + kafka + ", postgres=" + postgresJdbcUrl + " as " + postgresUser
                + ", redis=" + redis + ", s3=" + s3Endpoint + "/" + s3Bucket + ", secrets=***]";
    }
}
