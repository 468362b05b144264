package io.shoplake.serving;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;
import io.shoplake.core.Topics;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The millisecond path to the storefront, beside the lakehouse: inventory CDC from Kafka to
 * Redis availability and the availability topic, in Spark's real-time mode when running
 * continuously. Both paths carry the source LSN as the version, so Redis ends with the same
 * values whichever path comes first; {@code shoplake check serving} compares Redis with gold.
 *
 * <p>Reads: Kafka {@code shop.inventory}. Writes: Redis {@code <prefix>:availability:<product_id>},
 * topic {@code serving.inventory_availability}. Trigger: {@code Trigger.RealTime} (checkpoint
 * every {@code shoplake.hot-path.checkpoint-interval}) in continuous runs; the configured
 * trigger otherwise, so a scheduled pass catches up the same way.
 * Run: {@code shoplake run serving.availability_hot --conf shoplake.trigger.mode=processing-time}.
 */
public final class HotAvailabilityJob implements Job {
  public static final String NAME = "serving.availability_hot";
  private final HotPathSettings settings;

  public HotAvailabilityJob(HotPathSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SERVING).readsTopics(java.util.List.of(topics.cdc("inventory")))
        .writesTopics(topics.availability());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    KafkaSettings kafka = ctx.kafka();
    KafkaConnection connection = kafka.connection();
    String topic = ctx.tables().topics().availability();
    ServingTopics.ensureCompacted(connection, topic, kafka.servingTopicPartitions());
    String source = ctx.tables().topics().cdc("inventory");
    if (ctx.continuous()) requireSlots(ctx.spark().sparkContext().defaultParallelism(), ServingTopics.partitions(connection, source), source);
    Dataset<Row> records = ctx.spark().readStream()
        .format("kafka")
        .options(connection.sparkOptions())
        .option("subscribe", source)
        .option("startingOffsets", kafka.startingOffsets())
        .option("kafka.fetch.max.wait.ms", kafka.fetchMaxWaitMs())
        .option("failOnDataLoss", "true")
        .load()
        // A Kafka tombstone follows every delete and carries nothing to serve.
        .filter("value IS NOT NULL");
    return HotAvailability.fromCdc(records, settings.inventory()).writeStream()
        .queryName(NAME)
        .outputMode("update")
        .trigger(trigger(ctx))
        .option("checkpointLocation", ctx.tables().checkpoint(NAME, "main"))
        .foreach(new HotAvailabilityWriter(ctx.redis(), connection, topic))
        .start();
  }

  /**
   * Real-time mode runs one task per source partition for the whole batch; with fewer slots
   * the partitions left over never get one (seen: a third of the locations never served), so
   * this refuses to start rather than serve part of the shop.
   */
  static void requireSlots(int slots, int partitions, String topic) {
    if (slots < partitions + 1) {
      throw new IllegalStateException(NAME + " in real-time mode holds one task slot per partition of " + topic
          + " (" + partitions + ") for as long as it runs, and other queries need one more: Spark has " + slots
          + ". Raise shoplake.spark.master (e.g. local[" + (partitions + 3) + "]); slots are threads, not cores.");
    }
  }

  @Override
  public boolean realTime(JobContext ctx) {
    return ctx.continuous();
  }

  Trigger trigger(JobContext ctx) {
    return ctx.continuous()
        ? Trigger.RealTime(settings.checkpointInterval().toMillis(), TimeUnit.MILLISECONDS)
        : ctx.trigger();
  }
}
