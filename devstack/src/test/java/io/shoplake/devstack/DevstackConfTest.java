package io.shoplake.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import io.shoplake.devstack.kafka.KafkaAccess;
import io.shoplake.devstack.redis.RedisAccess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevstackConfTest {

    private static final DevstackConf CONF = new DevstackConf(new KafkaAccess("127.0.0.1:9092", Map.of(
            "security.protocol", "SASL_SSL", "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"shoplake\" password=\"KPW\";")),
            "jdbc:postgresql://127.0.0.1:5432/shop", "shoplake", "pw\"with\\quote",
            new RedisAccess("127.0.0.1", 6379, "shoplake", "RPW", true, "/tmp/cert.pem"),
            "http://127.0.0.1:9000", "us-east-1", "shoplake", "AKX", "SECRET");

    @Test
    void confRoundTripsThroughHoconAndIsOwnerOnly(@TempDir Path dir) throws Exception {
        CONF.writeTo(dir);
        assertThat(DevstackConf.read(dir)).isEqualTo(CONF);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("devstack.conf"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("devstack.conf")))
                .contains("bootstrap-servers = \"127.0.0.1:9092\"", "\"security.protocol\" = \"SASL_SSL\"",
                        "access-key = \"AKX\"", "port = 6379", "tls = true");
    }

    @Test
    void toStringNeverShowsSecrets() {
        assertThat(CONF.toString()).doesNotContain("SECRET", "pw\"with", "AKX", "KPW", "RPW").contains("sasl.jaas.config");
    }

    @Test
    void missingConfNamesTheFileAndTheFix(@TempDir Path dir) {
        assertThatThrownBy(() -> DevstackConf.read(dir)).hasMessageContaining("devstack.conf")
                .hasMessageContaining("devstack up --state-dir");
    }

    @Test
    void simulatorDurationsReadLikeHumansWriteThem() {
        SimulateCommand.DurationConverter c = new SimulateCommand.DurationConverter();
        assertThat(c.convert("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void badCommandLinesExitNonZeroAndHelpExitsZero() {
        assertThat(new CommandLine(new DevstackMain()).execute()).isNotZero();
        assertThat(new CommandLine(new DevstackMain()).execute("up")).isNotZero();
        assertThat(new CommandLine(new DevstackMain()).execute("simulate", "--state-dir", "x", "--rate", "abc"))
                .isNotZero();
        for (String cmd : new String[] {"up", "down", "status", "simulate"}) {
            assertThat(new CommandLine(new DevstackMain()).execute(cmd, "--help")).isZero();
        }
    }
}
