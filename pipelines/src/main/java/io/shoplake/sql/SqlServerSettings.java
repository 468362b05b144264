package io.shoplake.sql;

import io.shoplake.core.ShoplakeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the analysts' endpoint admits clients, read from {@code shoplake.sql-server.*}: the bearer
 * token each must present and the TLS certificate it presents. Both are optional on a loopback
 * address; off it, a token is required, since anyone who can reach the port could otherwise read
 * every table.
 */
public record SqlServerSettings(Optional<String> token, Optional<Path> tlsCertificate, Optional<Path> tlsPrivateKey) {
  public SqlServerSettings {
    if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent()) {
      throw new IllegalArgumentException("shoplake.sql-server.tls-certificate and tls-private-key are given together"
          + " or not at all");
    }
    token.ifPresent(t -> {
      if (t.isBlank()) throw new IllegalArgumentException("shoplake.sql-server.token is empty");
    });
    for (Optional<Path> file : java.util.List.of(tlsCertificate, tlsPrivateKey)) {
      if (file.isPresent() && !Files.isReadable(file.get())) {
        throw new IllegalArgumentException("shoplake.sql-server TLS file " + file.get() + " is not readable");
      }
    }
  }

  public static SqlServerSettings from(ShoplakeConfig config) {
    return new SqlServerSettings(Optional.ofNullable(config.stringOr("shoplake.sql-server.token", null)),
        path(config.stringOr("shoplake.sql-server.tls-certificate", "")),
        path(config.stringOr("shoplake.sql-server.tls-private-key", "")));
  }

  private static Optional<Path> path(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
  }

  public boolean tls() {
    return tlsCertificate.isPresent();
  }

  /** Refuses to serve {@code host} beyond this machine without a token. */
  public void checkAdmits(String host) {
    if (token.isEmpty() && !isLoopback(host)) {
      throw new IllegalArgumentException("sql-server on " + host + " needs a token: set SHOPLAKE_SQL_SERVER_TOKEN"
          + " (without one it only binds a loopback address)");
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The URL a client opens, without the token. PySpark sends a token without TLS only to a host
   * literally named "localhost" (over local credentials), so a loopback server is named that.
   */
  public String clientUrl(String host, int port) {
    String name = isLoopback(host) ? "localhost" : host;
    return "sc://" + name + ":" + port + (tls() ? "/;use_ssl=true" : "");
  }

  @Override
  public String toString() {
    return "SqlServerSettings[token=" + (token.isPresent() ? "(set)" : "(none)") + ", tlsCertificate="
        + tlsCertificate.map(Path::toString).orElse("(none)") + "]";
  }
}
