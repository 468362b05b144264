package io.shoplake.checks;

import io.shoplake.core.ShoplakeConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The shop database, for checks that compare Shoplake's tables with the source of truth. */
public record PostgresSettings(String jdbcUrl, String user, String password) {
  public static PostgresSettings from(ShoplakeConfig config) {
    return new PostgresSettings(config.string("shoplake.postgres.jdbc-url"),
        config.string("shoplake.postgres.user"), config.string("shoplake.postgres.password"));
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  @Override
  public String toString() {
    return "PostgresSettings[" + jdbcUrl + ", user=" + user + "]";
  }
}
