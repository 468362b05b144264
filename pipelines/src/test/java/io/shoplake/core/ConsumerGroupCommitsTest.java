package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;

/** The mirror of each job's Kafka progress, against a committer that records what reaches the broker. */
class ConsumerGroupCommitsTest {
  private static final TopicPartition ORDERS_0 = new TopicPartition("shop.orders", 0);
  private static final TopicPartition ORDERS_1 = new TopicPartition("shop.orders", 1);

  /** What the broker's groups hold, every commit, and every one that moved a group backwards. */
  private static final class Broker implements ConsumerGroupCommits.Committer {
    final Map<String, Map<TopicPartition, Long>> groups = new HashMap<>();
    final List<String> commits = new ArrayList<>();
    final List<String> backwards = new ArrayList<>();
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public synchronized void commit(String group, Map<TopicPartition, Long> offsets) {
      if (down.get()) throw new IllegalStateException("broker unreachable");
      Map<TopicPartition, Long> held = groups.computeIfAbsent(group, g -> new HashMap<>());
      offsets.forEach((partition, offset) -> {
        if (offset < held.getOrDefault(partition, 0L)) backwards.add(group + " " + partition + " to " + offset);
      });
      held.putAll(offsets);
      commits.add(group + " " + offsets);
    }
  }

  private static StreamingQueryProgress progress(String job, String kafkaEndOffset) {
    SourceProgress kafka = new SourceProgress("KafkaV2[Subscribe[shop.orders]]", "{}", kafkaEndOffset, kafkaEndOffset,
        0, 0, 0, Map.of());
    SourceProgress delta = new SourceProgress("DeltaSource[file:/w/bronze]", "{}",
        "{\"sourceVersion\":1,\"reservoirVersion\":5,\"index\":-1}", null, 0, 0, 0, Map.of());
    return new StreamingQueryProgress(UUID.randomUUID(), UUID.randomUUID(), job, "2026-12-04T00:00:00.000Z", 1, 10,
        Map.of(), Map.of(), new StateOperatorProgress[0], new SourceProgress[] {kafka, delta}, null, Map.of());
  }

  /** Waits for the commits queued so far. */
  private static void settle(ConsumerGroupCommits commits) {
    commits.close();
  }

  @Test
  void eachJobsKafkaOffsetsGoToItsOwnGroupAndNeverBackwards() {
    Broker broker = new Broker();
    ConsumerGroupCommits commits = new ConsumerGroupCommits(() -> "shoplake.", broker);
    commits.offer(progress("bronze.ingest", "{\"shop.orders\":{\"0\":10,\"1\":4}}"));
    commits.offer(progress("serving.hot_availability", "{\"shop.orders\":{\"0\":7,\"1\":4}}"));
    commits.offer(progress("bronze.ingest", "{\"shop.orders\":{\"0\":25,\"1\":4}}"));
    // A report delivered late, after a newer one: the group keeps the newer offsets.
    commits.offer(progress("bronze.ingest", "{\"shop.orders\":{\"0\":10,\"1\":4}}"));
    commits.offer(progress("silver.orders", null));
    settle(commits);

    assertThat(broker.groups).isEqualTo(Map.of(
        "shoplake.bronze.ingest", Map.of(ORDERS_0, 25L, ORDERS_1, 4L),
        "shoplake.serving.hot_availability", Map.of(ORDERS_0, 7L, ORDERS_1, 4L)));
    assertThat(broker.backwards).isEmpty();
  }

  @Test
  void offsetsACommitFailedOnAreCommittedWithTheNextReport() {
    Broker broker = new Broker();
    ConsumerGroupCommits commits = new ConsumerGroupCommits(() -> "shoplake.", broker);
    broker.down.set(true);
    commits.offer(progress("bronze.ingest", "{\"shop.orders\":{\"0\":10,\"1\":4}}"));
    commits.awaitCommits();
    assertThat(broker.groups).isEmpty();
    broker.down.set(false);
    // Only partition 0 moves; partition 1's failed offset goes out with it.
    commits.offer(progress("bronze.ingest", "{\"shop.orders\":{\"0\":12,\"1\":4}}"));
    settle(commits);
    assertThat(broker.groups).isEqualTo(Map.of("shoplake.bronze.ingest", Map.of(ORDERS_0, 12L, ORDERS_1, 4L)));
  }

  @Test
  void anEmptyPrefixCommitsNothingAndARunWithoutKafkaNeverAsksForIt() {
    Broker broker = new Broker();
    ConsumerGroupCommits off = new ConsumerGroupCommits(() -> "", broker);
    off.offer(progress("bronze.ingest", "{\"shop.orders\":{\"0\":10}}"));
    settle(off);
    assertThat(broker.commits).isEmpty();

    ConsumerGroupCommits noKafka = new ConsumerGroupCommits(() -> {
      throw new MissingConfigException("shoplake.kafka.bootstrap-servers", List.of());
    }, broker);
    noKafka.offer(progress("silver.orders", null));
    settle(noKafka);
    assertThat(broker.commits).isEmpty();
  }
}
