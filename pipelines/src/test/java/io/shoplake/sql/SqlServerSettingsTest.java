package io.shoplake.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.ShoplakeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlServerSettingsTest {
  @TempDir Path dir;

  @Test
  void withoutATokenTheServerOnlyBindsALoopbackAddress() {
    SqlServerSettings open = SqlServerSettings.from(ShoplakeConfig.load("local", Map.of()));
    open.checkAdmits("127.0.0.1");
    open.checkAdmits("localhost");
    assertThatThrownBy(() -> open.checkAdmits("0.0.0.0")).hasMessageContaining("SHOPLAKE_SQL_SERVER_TOKEN");

    SqlServerSettings withToken = SqlServerSettings.from(
        ShoplakeConfig.load("local", Map.of("shoplake.sql-server.token", "t0ken-value")));
    withToken.checkAdmits("0.0.0.0");
    assertThat(withToken.token()).contains("t0ken-value");
    assertThat(withToken.toString()).doesNotContain("t0ken-value");
    assertThat(ShoplakeConfig.load("local", Map.of("shoplake.sql-server.token", "t0ken-value")).describe())
        .doesNotContain("t0ken-value");
  }

  @Test
  void tlsNeedsBothReadableFilesAndChangesTheUrlClientsOpen() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
    assertThatThrownBy(() -> new SqlServerSettings(Optional.empty(), Optional.of(cert), Optional.empty()))
        .hasMessageContaining("together");
    assertThatThrownBy(() -> new SqlServerSettings(Optional.empty(), Optional.of(cert), Optional.of(dir.resolve("no.pem"))))
        .hasMessageContaining("not readable");
    assertThatThrownBy(() -> new SqlServerSettings(Optional.of(" "), Optional.empty(), Optional.empty()))
        .hasMessageContaining("empty");

    SqlServerSettings tls = SqlServerSettings.from(ShoplakeConfig.load("local", Map.of(
        "shoplake.sql-server.tls-certificate", cert.toString(), "shoplake.sql-server.tls-private-key", key.toString())));
    assertThat(tls.tls()).isTrue();
    assertThat(tls.clientUrl("127.0.0.1", 15002)).isEqualTo("sc://localhost:15002/;use_ssl=true");
    assertThat(tls.clientUrl("sql.shop.internal", 443)).isEqualTo("sc://sql.shop.internal:443/;use_ssl=true");
    // PySpark sends a token in the clear only to a host literally named localhost.
    assertThat(SqlServerSettings.from(ShoplakeConfig.load("local", Map.of())).clientUrl("127.0.0.1", 15002))
        .isEqualTo("sc://localhost:15002");
  }
}
