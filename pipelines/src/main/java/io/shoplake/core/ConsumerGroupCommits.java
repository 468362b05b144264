package io.shoplake.core;

import com.google.common.base.Suppliers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors each Kafka-reading job's progress into the consumer group {@code <prefix><job>}, so
 * Kafka's own tools (kafka-consumer-groups, Burrow, any Kafka UI) show how far behind it is.
 * Spark's Kafka source reads with assigned partitions and keeps its offsets in the checkpoint
 * only; the group is never read back, and the checkpoint stays what a restart resumes from.
 *
 * <p>Spark posts a batch's progress after the batch's commit-log entry is written, so a group
 * never runs ahead of what is durable. Commits go out on one thread of their own, so a slow
 * broker delays the mirror, not Spark's listener bus; and never backwards, whatever order the
 * last reports arrive in.
 */
public final class ConsumerGroupCommits implements RunObserver {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupCommits.class);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

  private final Supplier<String> groupPrefix;
  private final Committer committer;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "consumer-group-commits");
    t.setDaemon(true);
    return t;
  });
  /** Per group, the offsets committed or queued: a report older than these commits nothing. */
  private final Map<String, Map<TopicPartition, Long>> highest = new HashMap<>();
  private final Map<String, Map<TopicPartition, Long>> pending = new HashMap<>();
  private boolean failing;

  /** What moves a group's offsets; the broker's admin API in production, a map in unit tests. */
  public interface Committer extends AutoCloseable {
    void commit(String group, Map<TopicPartition, Long> offsets) throws Exception;

    @Override
    default void close() {}
  }

  /** {@code groupPrefix} is asked for on the first report with Kafka offsets: a run without Kafka needs none. */
  public ConsumerGroupCommits(Supplier<String> groupPrefix, Committer committer) {
    this.groupPrefix = Suppliers.memoize(groupPrefix::get);
    this.committer = committer;
  }

  /** Commits through an admin client, both made from the settings on the first report with Kafka offsets. */
  public static ConsumerGroupCommits toBroker(Supplier<KafkaSettings> kafka) {
    return new ConsumerGroupCommits(() -> kafka.get().consumerGroupPrefix(),
        new AdminCommitter(() -> kafka.get().connection()));
  }

  @Override
  public void committed(Job job, StreamingQueryProgress progress) {
    offer(progress);
  }

  /** A job that caught up shows no lag: its last batches were offered before its end is told. */
  @Override
  public void ended(Job job, Throwable failure) {
    awaitCommits();
  }

  @Override
  public void flush() {
    awaitCommits();
  }

  /** Commits what is queued, and waits for it (or for the broker's time-out). */
  void awaitCommits() {
    try {
      thread.submit(this::drain).get(COMMIT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("consumer group commits did not finish: {}", e.toString());
    }
  }

  void offer(StreamingQueryProgress progress) {
    if (progress == null || progress.name() == null) return;
    Map<TopicPartition, Long> readTo = KafkaProgress.readTo(progress.sources());
    if (readTo.isEmpty() || groupPrefix.get().isEmpty()) return;
    String group = groupPrefix.get() + progress.name();
    synchronized (this) {
      Map<TopicPartition, Long> known = highest.computeIfAbsent(group, g -> new HashMap<>());
      Map<TopicPartition, Long> moved = new HashMap<>();
      readTo.forEach((partition, offset) -> {
        if (offset > known.getOrDefault(partition, -1L)) {
          known.put(partition, offset);
          moved.put(partition, offset);
        }
      });
      if (moved.isEmpty()) return;
      pending.computeIfAbsent(group, g -> new HashMap<>()).putAll(moved);
    }
    try {
      thread.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // Closed by a stop that raced this report; the stop committed what it found.
    }
  }

  private void drain() {
    Map<String, Map<TopicPartition, Long>> batch;
    synchronized (this) {
      if (pending.isEmpty()) return;
      batch = new HashMap<>(pending);
      pending.clear();
    }
    batch.forEach((group, offsets) -> {
      try {
        committer.commit(group, offsets);
        if (failing) LOG.info("consumer group commits work again");
        failing = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // Tried again with the next report or flush; one warning per outage, not per batch.
        if (!failing) LOG.warn("could not commit {}'s offsets (retried with the next batch): {}", group, e.toString());
        failing = true;
        synchronized (this) {
          Map<TopicPartition, Long> retry = new HashMap<>(offsets);
          retry.putAll(pending.getOrDefault(group, Map.of())); // queued since: newer
          pending.put(group, retry);
        }
      }
    });
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      committer.close();
    } catch (Exception e) {
      LOG.warn("closing the consumer group committer: {}", e.toString());
    }
  }

  private static final class AdminCommitter implements Committer {
    private final Supplier<KafkaConnection> kafka;
    private Admin admin;

    AdminCommitter(Supplier<KafkaConnection> kafka) {
      this.kafka = kafka;
    }

    @Override
    public void commit(String group, Map<TopicPartition, Long> offsets) throws Exception {
      if (admin == null) {
        admin = kafka.get().admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "shoplake-consumer-group-commits"));
      }
      Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
      offsets.forEach((partition, offset) -> committed.put(partition, new OffsetAndMetadata(offset)));
      admin.alterConsumerGroupOffsets(group, committed).all().get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      if (admin != null) admin.close(COMMIT_TIMEOUT);
      admin = null;
    }
  }
}
