package io.shoplake.clickstream;

import io.shoplake.core.KeyedReplace;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Writes recomputed sessions to silver.clickstream_sessions. */
final class SessionTable {
  private SessionTable() {}

  /**
   * Makes the sessions of the {@code touched} client sessions equal to {@code sessions}: new
   * ones inserted, changed ones updated, and those a late event merged into another deleted.
   */
  static void replace(SparkSession spark, Tables tables, Dataset<Row> sessions, Dataset<Row> touched) {
    TableAccess access = TableAccess.of(spark, tables);
    Dataset<Row> slice = access.read(Tables.SILVER_CLICKSTREAM_SESSIONS).join(touched, "client_session_id");
    KeyedReplace.replace(access, Tables.SILVER_CLICKSTREAM_SESSIONS, Sessions.SCHEMA, List.of("session_id"), sessions,
        slice);
  }
}
