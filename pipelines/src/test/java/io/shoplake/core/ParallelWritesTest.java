package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.testing.SharedSpark;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;

class ParallelWritesTest {
  private final SparkContext sc = SharedSpark.get().sparkContext();

  /** Runs four writes (as many as the pool has threads) as a batch of the given job would. */
  private List<String> poolsSeenByWritesOf(String pool) throws Exception {
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    Callable<Void> write = () -> {
      seen.add(pool + " saw " + sc.getLocalProperty("spark.scheduler.pool") + "/" + sc.getLocalProperty("streaming.sql.batchId"));
      return null;
    };
    sc.setLocalProperty("spark.scheduler.pool", pool);
    sc.setLocalProperty("streaming.sql.batchId", pool.equals("bronze.ingest") ? "0" : null);
    try {
      ParallelWrites.runAll(List.of(write, write, write, write));
    } finally {
      sc.setLocalProperty("spark.scheduler.pool", null);
      sc.setLocalProperty("streaming.sql.batchId", null);
    }
    return List.copyOf(seen);
  }

  @Test
  void writesRunInTheSchedulerPoolAndBatchOfTheCallerNotOfWhoeverStartedThePoolThreads() throws Exception {
    assertThat(poolsSeenByWritesOf("bronze.ingest")).containsOnly("bronze.ingest saw bronze.ingest/0");
    assertThat(poolsSeenByWritesOf("gold.inventory_availability"))
        .containsOnly("gold.inventory_availability saw gold.inventory_availability/null");
  }

  @Test
  void theFirstFailureIsRethrownAfterEveryWriteEnded() {
    ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();
    assertThatThrownBy(() -> ParallelWrites.runAll(List.of(
        () -> { throw new IllegalStateException("table A refused the commit"); },
        () -> { Thread.sleep(200); ended.add("B"); return null; })))
        .isInstanceOf(IllegalStateException.class).hasMessage("table A refused the commit");
    assertThat(ended).containsExactly("B");
  }
}
