package io.shoplake.core;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.shoplake.testing.SharedSpark;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BatchConstantsTest {
  private final SparkSession spark = SharedSpark.get();

  /** A batch-shaped query: every row stamped with the batch's id and time. */
  private List<Row> stamped(long batchId, Timestamp at) {
    return spark.range(4)
        .select(col("id"), BatchConstants.of(batchId).as("batch_id"), BatchConstants.of(at).as("at"))
        .filter(col("id").geq(1))
        .collectAsList();
  }

  @Test
  void everyRowCarriesItsBatchsValuesAndTheNextBatchRunsTheCodeCompiledForTheFirst() {
    Timestamp first = Timestamp.valueOf("2026-11-26 10:00:00.123456");
    Timestamp second = Timestamp.valueOf("2026-11-26 10:00:01.654321");

    assertThat(stamped(41, first)).extracting(r -> r.getLong(1), r -> r.getTimestamp(2))
        .containsExactly(tuple(41L, first), tuple(41L, first), tuple(41L, first));
    long compiledBefore = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();

    assertThat(stamped(42, second)).extracting(r -> r.getLong(1), r -> r.getTimestamp(2))
        .containsExactly(tuple(42L, second), tuple(42L, second), tuple(42L, second));
    assertThat(CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - compiledBefore)
        .as("classes compiled for the second batch (a constant written into the code forces new ones)")
        .isZero();
  }

  @Test
  void stampedColumnsAreNotNullable() {
    assertThat(spark.range(1).select(BatchConstants.of(1L), BatchConstants.now()).schema().fields())
        .allSatisfy(f -> assertThat(f.nullable()).as(f.name()).isFalse());
  }
}
