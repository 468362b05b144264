package io.shoplake.testing;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession per test JVM (starting one costs seconds), built by the same
 * factory as the jobs' sessions, with small shuffles and no UI.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      try {
        session = SparkSessionFactory.create(ShoplakeConfig.load("local", Map.of(
            "shoplake.storage.warehouse", Files.createTempDirectory("shoplake-test-warehouse").toUri().toString(),
            "shoplake.spark.shuffle-partitions", "2",
            "shoplake.spark.conf.\"spark.ui.enabled\"", "false")));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return session;
  }
}
