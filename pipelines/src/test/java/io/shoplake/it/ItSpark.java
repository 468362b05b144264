package io.shoplake.it;

import io.shoplake.core.SparkSessionFactory;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The integration tests' one SparkSession: Delta plus s3a on the devstack's S3 endpoint. */
final class ItSpark {
  private static SparkSession session;

  private ItSpark() {}

  static synchronized SparkSession get(Devstack devstack) {
    if (session == null) {
      // s3 so that s3a reaches the devstack's endpoint; tests choose their own warehouses.
      session = SparkSessionFactory.create(devstack.config("s3", Map.of(
          "shoplake.storage.warehouse", devstack.stateDir().resolve("it-catalog").toUri().toString(),
          "shoplake.devstack.state-dir", devstack.stateDir().toString(),
          "shoplake.spark.shuffle-partitions", "2",
          "shoplake.spark.conf.\"spark.ui.enabled\"", "false")));
    }
    return session;
  }
}
