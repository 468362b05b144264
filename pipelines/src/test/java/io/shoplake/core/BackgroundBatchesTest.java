package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackgroundBatchesTest {
  private final ExecutorService queries = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    queries.shutdownNow();
  }

  /** A batch writer that holds its batch until released. */
  private static final class HeldBatch implements VoidFunction2<Dataset<Row>, Long> {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void call(Dataset<Row> batch, Long batchId) throws Exception {
      started.countDown();
      release.await();
    }
  }

  private Future<?> run(VoidFunction2<Dataset<Row>, Long> writer) {
    return queries.submit(() -> {
      writer.call(null, 0L);
      return null;
    });
  }

  @Test
  void aBackgroundBatchWaitsWhileTheOnlyPermitIsTakenAndRunsOnceItIsReturned() throws Exception {
    BackgroundBatches gate = new BackgroundBatches(1, Set.of());
    HeldBatch first = new HeldBatch();
    HeldBatch second = new HeldBatch();

    Future<?> firstDone = run(gate.admit("silver.orders", first));
    assertThat(first.started.await(10, TimeUnit.SECONDS)).isTrue();
    Future<?> secondDone = run(gate.admit("silver.customers", second));

    assertThat(second.started.await(300, TimeUnit.MILLISECONDS)).as("the second batch ran beside the first").isFalse();
    first.release.countDown();
    firstDone.get(10, TimeUnit.SECONDS);
    assertThat(second.started.await(10, TimeUnit.SECONDS)).as("the second batch got the permit back").isTrue();
    second.release.countDown();
    secondDone.get(10, TimeUnit.SECONDS);
    assertThat(gate.available()).isEqualTo(1);
  }

  @Test
  void aLatencyPathBatchIsNeverHeldEvenWithEveryPermitTaken() throws Exception {
    BackgroundBatches gate = new BackgroundBatches(1, Set.of("gold.inventory_availability"));
    HeldBatch background = new HeldBatch();
    run(gate.admit("silver.orders", background));
    assertThat(background.started.await(10, TimeUnit.SECONDS)).isTrue();

    AtomicInteger ran = new AtomicInteger();
    run(gate.admit("gold.inventory_availability", (batch, id) -> ran.incrementAndGet())).get(10, TimeUnit.SECONDS);

    assertThat(ran).hasValue(1);
    assertThat(gate.onLatencyPath("gold.inventory_availability")).isTrue();
    background.release.countDown();
  }

  @Test
  void aFailedBatchReturnsItsPermit() throws Exception {
    BackgroundBatches gate = new BackgroundBatches(1, Set.of());
    Future<?> failed = run(gate.admit("silver.orders", (batch, id) -> {
      throw new IllegalStateException("broken batch");
    }));

    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("broken batch");
    assertThat(gate.available()).isEqualTo(1);
  }

  @Test
  void aBatchWaitingForAPermitEndsWhenItsQueryIsStopped() throws Exception {
    BackgroundBatches gate = new BackgroundBatches(1, Set.of());
    HeldBatch holder = new HeldBatch();
    run(gate.admit("silver.orders", holder));
    assertThat(holder.started.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicInteger ran = new AtomicInteger();
    Future<?> waiting = run(gate.admit("silver.customers", (batch, id) -> ran.incrementAndGet()));

    waiting.cancel(true);

    assertThatThrownBy(() -> waiting.get(1, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.CancellationException.class);
    holder.release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.available() == 1);
    assertThat(ran).as("the stopped query's batch never ran").hasValue(0);
  }

  @Test
  void atLeastOnePermit() {
    assertThatThrownBy(() -> new BackgroundBatches(0, Set.of())).hasMessageContaining("background-batches must be at least 1");
  }

  @Test
  void onceClosedABatchAlreadyWritingEndsButNoneBeginsAndOneAtTheGateEndsOnlyWhenItsQueryIsStopped() throws Exception {
    BackgroundBatches gate = new BackgroundBatches(2, Set.of("gold.inventory_availability"));
    HeldBatch writing = new HeldBatch();
    Future<?> writingDone = run(gate.admit("silver.orders", writing));
    assertThat(writing.started.await(10, TimeUnit.SECONDS)).isTrue();

    gate.close();
    AtomicInteger ran = new AtomicInteger();
    Future<?> background = run(gate.admit("silver.customers", (batch, id) -> ran.incrementAndGet()));
    Future<?> latencyPath = run(gate.admit("gold.inventory_availability", (batch, id) -> ran.incrementAndGet()));
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.isWaiting("silver.customers")
        && gate.isWaiting("gold.inventory_availability"));
    writing.release.countDown();
    writingDone.get(10, TimeUnit.SECONDS);
    assertThat(background.isDone() || latencyPath.isDone()).as("a batch began after the close").isFalse();

    // What a query's stop does to its thread.
    background.cancel(true);
    latencyPath.cancel(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> !gate.isWaiting("silver.customers")
        && !gate.isWaiting("gold.inventory_availability"));
    assertThat(ran).hasValue(0);
    assertThat(gate.available()).as("no permit kept by a batch stopped at the gate").isEqualTo(2);
  }
}
