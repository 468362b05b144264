package io.shoplake.core;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.testing.SharedSpark;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSessionFactoryTest {
  private static long classesCompiledBy(Runnable query) {
    long before = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
    query.run();
    return CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - before;
  }

  private static Runnable aggregation(SparkSession session) {
    return () -> session.range(100).filter(col("id").mod(3).equalTo(1)).groupBy(col("id").mod(5)).count().collectAsList();
  }

  @Test
  void everySessionRunsTheClassesCompiledForAnother() {
    SparkSession root = SharedSpark.get();
    classesCompiledBy(aggregation(root));
    // Each streaming query runs in a session of its own, as this one.
    assertThat(classesCompiledBy(aggregation(root.newSession())))
        .as("classes compiled again for the same query in another session")
        .isZero();
  }

  @Test
  void anEndpointAloneKeepsTheAwsDefaultCredentialsChain() {
    var s3a = SparkSessionFactory.s3a(ShoplakeConfig.load("local", java.util.Map.of(
        "shoplake.s3.endpoint", "https://s3.eu-west-1.amazonaws.com", "shoplake.s3.region", "eu-west-1")));

    assertThat(s3a).containsEntry("spark.hadoop.fs.s3a.endpoint", "https://s3.eu-west-1.amazonaws.com")
        .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "true")
        .doesNotContainKeys("spark.hadoop.fs.s3a.aws.credentials.provider", "spark.hadoop.fs.s3a.access.key",
            "spark.hadoop.fs.s3a.secret.key");
    assertThat(SparkSessionFactory.s3a(ShoplakeConfig.load("local", java.util.Map.of()))).as("nothing set").isEmpty();
  }

  @Test
  void staticKeysAreUsedOnlyWhenBothAreGivenWithOrWithoutAnEndpoint() {
    var s3a = SparkSessionFactory.s3a(ShoplakeConfig.load("local", java.util.Map.of(
        "shoplake.s3.access-key", "AKIAEXAMPLE", "shoplake.s3.secret-key", "example-secret")));

    assertThat(s3a).containsEntry("spark.hadoop.fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .containsEntry("spark.hadoop.fs.s3a.access.key", "AKIAEXAMPLE").doesNotContainKey("spark.hadoop.fs.s3a.endpoint");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkSessionFactory.s3a(ShoplakeConfig.load("local",
            java.util.Map.of("shoplake.s3.access-key", "AKIAEXAMPLE"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shoplake.s3.secret-key");
  }
}
