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
}
