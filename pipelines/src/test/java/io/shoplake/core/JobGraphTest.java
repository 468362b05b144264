package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class JobGraphTest {
  private static final StructType ONE_COLUMN = new StructType().add("id", DataTypes.LongType);

  /** A job that only declares; the graph never starts one. */
  record Declared(String name, List<String> reads, List<String> writes) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return JobDeclaration.of(JobKind.CONTINUOUS).reads(reads.stream().map(TableId::parse).toArray(TableId[]::new))
          .writes(writes.stream().map(t -> TableDefinition.of(TableId.parse(t), ONE_COLUMN)).toList());
    }

    @Override
    public StreamingQuery start(JobContext context) {
      throw new UnsupportedOperationException();
    }
  }

  private static final Topics TOPICS = null;

  @Test
  void everyJobComesAfterTheJobsWritingWhatItReadsWhateverTheOrderGiven() {
    Job gold = new Declared("gold.g", List.of("silver.s"), List.of("gold.g"));
    Job silver = new Declared("silver.s", List.of("bronze.b"), List.of("silver.s", "quality.q"));
    Job bronze = new Declared("bronze.b", List.of(), List.of("bronze.b", "quality.q"));
    Job apart = new Declared("silver.apart", List.of("bronze.elsewhere"), List.of("silver.apart"));

    JobGraph graph = JobGraph.of(List.of(gold, apart, silver, bronze), TOPICS);

    assertThat(graph.flowOrder()).extracting(Job::name).containsExactly("silver.apart", "bronze.b", "silver.s", "gold.g");
    assertThat(graph.upstream("gold.g")).containsExactly("silver.s");
    // A table several jobs append to (quarantine) is no dependency between them.
    assertThat(graph.upstream("silver.s")).containsExactly("bronze.b");
    assertThat(graph.upstream("silver.apart")).as("read from outside the graph").isEmpty();
    assertThat(graph.tables()).extracting(d -> d.id().toString())
        .containsExactly("silver.apart", "bronze.b", "quality.q", "silver.s", "gold.g");
    assertThat(graph.tablesTouchedBy(List.of(silver))).as("what `run silver.s` creates before it starts")
        .extracting(d -> d.id().toString()).containsExactly("bronze.b", "quality.q", "silver.s");
  }

  @Test
  void jobsPublishingOneTopicRunInTheOrderGiven() {
    Job first = publisher("serving.first", "serving.topic");
    Job second = publisher("serving.second", "serving.topic");
    Job elsewhere = publisher("serving.elsewhere", "serving.other");
    JobGraph graph = JobGraph.of(List.of(second, elsewhere, first), TOPICS);
    assertThat(graph.upstream("serving.first")).containsExactly("serving.second");
    assertThat(graph.upstream("serving.elsewhere")).isEmpty();
    assertThat(graph.flowOrder()).extracting(Job::name).containsExactly("serving.second", "serving.elsewhere", "serving.first");
  }

  private static Job publisher(String name, String topic) {
    return new Job() {
      public String name() {
        return name;
      }

      public JobDeclaration declaration(Topics topics) {
        return JobDeclaration.of(JobKind.SERVING).writesTopics(topic);
      }

      public StreamingQuery start(JobContext context) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void aCycleIsRefusedNamingItsJobs() {
    Job a = new Declared("silver.a", List.of("silver.b"), List.of("silver.a"));
    Job b = new Declared("silver.b", List.of("silver.a"), List.of("silver.b"));
    assertThatThrownBy(() -> JobGraph.of(List.of(a, b), TOPICS))
        .hasMessageContaining("cycle").hasMessageContaining("silver.a").hasMessageContaining("silver.b");
  }

  @Test
  void twoJobsDeclaringOneTableDifferentlyAreRefused() {
    Job a = new Declared("silver.a", List.of(), List.of("silver.same"));
    Job b = new Job() {
      public String name() {
        return "silver.b";
      }

      public JobDeclaration declaration(Topics topics) {
        return JobDeclaration.of(JobKind.CONTINUOUS).writes(TableDefinition.withChangeFeed(TableId.parse("silver.same"), ONE_COLUMN));
      }

      public StreamingQuery start(JobContext context) {
        throw new UnsupportedOperationException();
      }
    };
    assertThatThrownBy(() -> JobGraph.of(List.of(a, b), TOPICS).tables()).hasMessageContaining("silver.same");
  }

  /** The real pipeline: its declarations give the order it was always run in, and its edges. */
  @Test
  void thePipelinesDeclarationsGiveItsFlow() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());
    JobGraph graph = Pipeline.graph(config);

    List<String> placed = new ArrayList<>();
    for (Job job : graph.flowOrder()) {
      assertThat(placed).as(job.name() + " after what it reads").containsAll(graph.upstream(job.name()));
      placed.add(job.name());
    }
    assertThat(placed).as("nothing lost or added").containsExactlyInAnyOrderElementsOf(
        Pipeline.jobs(config).stream().map(Job::name).toList());
    assertThat(graph.upstream("silver.inventory")).containsExactly("bronze.ingest");
    assertThat(graph.upstream("gold.inventory_availability")).containsExactlyInAnyOrder("bronze.ingest", "silver.inventory");
    assertThat(graph.upstream("gold.price_recommendations")).containsExactlyInAnyOrder("silver.orders",
        "silver.order_items", "silver.products", "silver.clickstream", "gold.product_availability");
    assertThat(graph.upstream("serving.availability")).containsExactly("gold.inventory_availability");
    assertThat(graph.upstream("serving.availability_hot")).as("reads Kafka, publishes after the lakehouse's last word")
        .containsExactly("serving.availability");
    assertThat(graph.declaration("serving.availability_hot").topicsRead()).containsExactly("shop.inventory");
    assertThat(graph.declaration("gold.customer_segments").kind()).isEqualTo(JobKind.SCHEDULED);

    List<String> written = graph.tables().stream().map(d -> d.id().toString()).toList();
    assertThat(written).doesNotHaveDuplicates()
        .contains("quality.quarantine", "quality.pipeline_events", "bronze.shop_inventory", "silver.clickstream_sessions",
            "gold.abandoned_carts", "gold.price_recommendations");
    // Or an operation: quality.erasures is written by `privacy forget`, and read by serving.
    List<String> registered = Pipeline.allTables(config).stream().map(d -> d.id().toString()).toList();
    for (Job job : graph.flowOrder()) {
      graph.declaration(job.name()).reads().forEach(read -> assertThat(registered)
          .as(job.name() + " reads " + read + ", which some job or operation writes").contains(read.toString()));
    }
  }

  @Test
  void aShopTableAppliedToSilverButNotIngestedToBronzeIsRefusedByName() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of(
        "shoplake.sources.cdc.tables.0", "customers", "shoplake.sources.cdc.tables.1", "orders"));

    assertThatThrownBy(() -> Pipeline.graph(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shoplake.cdc.tables applies [inventory, order_items, products] to silver")
        .hasMessageContaining("shoplake.sources.cdc.tables [customers, orders] does not ingest them");
  }

  @Test
  void settingsForAJobThatDoesNotExistAreRefusedNamingTheNearestJob() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.jobs.\"silver.invntory\".trigger-interval", "5s"));

    assertThatThrownBy(() -> Pipeline.graph(config))
        .hasMessageContaining("shoplake.jobs has settings for 'silver.invntory', which is no job: did you mean 'silver.inventory'?");
  }

  @Test
  void baseConfSettingsOfJobsAConfigurationLeavesOutAreNoError() {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of()).with("shoplake.cdc.tables",
        ShoplakeConfig.load("local", Map.of()).raw().getObject("shoplake.cdc.tables").withoutKey("customers"));

    assertThat(Pipeline.names(config)).doesNotContain("silver.customers").contains("silver.orders");
  }
}
