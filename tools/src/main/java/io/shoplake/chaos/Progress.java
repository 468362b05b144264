package io.shoplake.chaos;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.RedisSettings;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.serving.AvailabilityServingJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * What a chaos run watches to tell when the pipeline works again after a fault: how far ingest
 * has durably read (its consumer group, which it moves only once a batch is in bronze), of all
 * topics and of the CDC topics, and when the lakehouse path last published availability to
 * Redis. Sampled twice a second; a probe that cannot answer (its service is down) leaves its
 * last value.
 */
final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  private static final String INGEST_GROUP = "shoplake." + BronzeIngestJob.NAME;

  /** One look: ingest's durable offsets (all sources, CDC sources) and Redis' last publish time. */
  record Sample(long nanos, long ingested, long cdcIngested, long published) {}

  /** Which of a sample's figures shows a fault's layer working again. */
  enum Probe {
    INGEST, CDC, SERVED;

    long of(Sample s) {
      return switch (this) {
        case INGEST -> s.ingested();
        case CDC -> s.cdcIngested();
        case SERVED -> s.published();
      };
    }
  }

  private final KafkaConnection kafka;
  private final Set<String> cdcTopics;
  private final RedisSettings redis;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private Sample last = new Sample(0, 0, 0, 0);

  Progress(KafkaConnection kafka, Set<String> cdcTopics, RedisSettings redis) {
    this.kafka = kafka;
    this.cdcTopics = cdcTopics;
    this.redis = redis;
    this.thread = new Thread(this::loop, "chaos-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    Admin admin = null;
    while (!closed) {
      try {
        if (admin == null) admin = kafka.admin(Map.of("request.timeout.ms", 2000, "default.api.timeout.ms", 3000));
        Map<TopicPartition, OffsetAndMetadata> group = admin.listConsumerGroupOffsets(INGEST_GROUP)
            .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
        long all = 0;
        long cdc = 0;
        for (var e : group.entrySet()) {
          if (e.getValue() == null) continue;
          all += e.getValue().offset();
          if (cdcTopics.contains(e.getKey().topic())) cdc += e.getValue().offset();
        }
        record(all, cdc, last.published());
      } catch (Exception e) {
        if (admin != null) admin.close(Duration.ofSeconds(1));
        admin = null;
      }
      try (Jedis jedis = redis.connect()) {
        String at = jedis.get(redis.servingPublishedAtKey(AvailabilityServingJob.NAME));
        record(last.ingested(), last.cdcIngested(), at == null ? last.published() : Math.max(last.published(), Long.parseLong(at)));
      } catch (Exception e) {
        // Redis down: the last value stands.
      }
      sleep(500);
    }
    if (admin != null) admin.close(Duration.ofSeconds(1));
  }

  private synchronized void record(long ingested, long cdc, long published) {
    last = new Sample(System.nanoTime(), ingested, cdc, published);
    samples.add(last);
  }

  /**
   * How long after {@code from} the probe's figure first rose above what it was at {@code over}
   * (the fault's end): the time until the layer the fault hit moved again; empty if it never did.
   */
  synchronized Optional<Duration> recovery(Probe probe, long from, long over) {
    long before = samples.stream().filter(s -> s.nanos() <= over).mapToLong(probe::of).max().orElse(0);
    return samples.stream().filter(s -> s.nanos() > over && probe.of(s) > before).findFirst()
        .map(s -> Duration.ofNanos(s.nanos() - from));
  }

  /** Whether ingest's durable offsets equal the end of every source partition: nothing left to read. */
  static boolean caughtUp(KafkaConnection kafka, List<String> sources) throws Exception {
    try (Admin admin = kafka.admin(Map.of())) {
      Map<TopicPartition, OffsetAndMetadata> group = admin.listConsumerGroupOffsets(INGEST_GROUP)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      var partitions = admin.describeTopics(sources).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      for (TopicPartition p : partitions) {
        OffsetAndMetadata read = group.get(p);
        long end = ends.get(p).offset();
        if (end > 0 && (read == null || read.offset() < end)) return false;
      }
      return true;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(10_000);
    LOG.debug("progress sampled {} times", samples.size());
  }
}
