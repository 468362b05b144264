package io.shoplake.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class JobFailuresTest {
  @Test
  void theCauseNamesEachDistinctMessageOfTheChainOutermostFirst() {
    var root = new ConnectException("Connection refused");
    var client = new RuntimeException("Failed to connect to any host", root);
    var timeout = new IllegalStateException("Redis 127.0.0.1:6390 unreachable for PT10M", client);
    // Spark's wrapper repeats its cause's message; that is said once.
    var spark = new RuntimeException("Query serving.availability terminated with exception: " + timeout.getMessage(), timeout);

    assertThat(JobFailures.causeChain(spark)).isEqualTo(
        "java.lang.RuntimeException: Query serving.availability terminated with exception: Redis 127.0.0.1:6390"
            + " unreachable for PT10M <- java.lang.RuntimeException: Failed to connect to any host"
            + " <- java.net.ConnectException: Connection refused");
  }

  @Test
  void aLongChainIsCutToItsLimit() {
    String cause = JobFailures.causeChain(new IllegalStateException("x".repeat(10_000)));

    assertThat(cause).hasSize(JobFailures.MAX_CAUSE_CHARS).startsWith("java.lang.IllegalStateException: xxx").endsWith("…");
  }
}
