package io.shoplake.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.Transport;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.LineageSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.testing.LineageJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events a run's jobs produce, as a catalog reads them from the file transport. */
class LineageEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A job that declares what it reads and writes; the observer never starts it. */
  private record Declared(String name, JobDeclaration declaration) implements Job {
    @Override
    public JobDeclaration declaration(Topics topics) {
      return declaration;
    }

    @Override
    public StreamingQuery start(JobContext context) {
      throw new UnsupportedOperationException("the events are told of it, it is not run");
    }
  }

  private static final Job INGEST = new Declared("bronze.ingest", JobDeclaration.of(JobKind.CONTINUOUS)
      .readsTopics(List.of("shop.inventory"))
      .writes(TableDefinition.of(TableId.parse("bronze.shop_inventory"), new StructType()),
          TableDefinition.of(TableId.parse("quality.quarantine"), new StructType())));
  private static final Job SERVING = new Declared("serving.availability", JobDeclaration.of(JobKind.CONTINUOUS)
      .reads(TableId.parse("gold.inventory_availability"))
      .writesTopics("shop.availability"));

  private Tables tables(String warehouse) {
    return Tables.from(ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse)));
  }

  private LineageEvents events(Path file, String warehouse, boolean continuous, Optional<LineageEvents.ParentRun> parent) {
    return new LineageEvents(new FileTransport(new FileConfig(file.toString())), "shoplake-test", tables(warehouse),
        () -> "broker-1:9092,broker-2:9092", continuous, "4.2.0", parent);
  }

  private static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(file)) events.add(JSON.readTree(line));
    return events;
  }

  @Test
  void aJobRunIsAStartAndACompleteWithTheTablesAndTopicsItDeclares() throws Exception {
    Path file = dir.resolve("events.jsonl");
    try (LineageEvents events = events(file, "file:///lake/warehouse", false, Optional.empty())) {
      events.started(INGEST);
      events.started(SERVING);
      events.ended(SERVING, null);
      events.ended(INGEST, null);
    }

    List<JsonNode> all = read(file);
    assertThat(all).extracting(e -> e.get("eventType").asText() + " " + e.get("job").get("name").asText())
        .containsExactly("START bronze.ingest", "START serving.availability", "COMPLETE serving.availability",
            "COMPLETE bronze.ingest");
    JsonNode start = all.get(0);
    JsonNode complete = all.get(3);
    assertThat(complete.get("run").get("runId")).as("one run: the same id").isEqualTo(start.get("run").get("runId"));
    assertThat(all.get(1).get("run").get("runId")).as("another job, another run").isNotEqualTo(start.get("run").get("runId"));
    assertThat(start.get("job").get("namespace").asText()).isEqualTo("shoplake-test");
    assertThat(start.get("job").get("facets").get("jobType").get("processingType").asText()).isEqualTo("BATCH");
    assertThat(start.get("run").get("facets").get("processing_engine").get("version").asText()).isEqualTo("4.2.0");
    for (JsonNode e : List.of(start, complete)) {
      assertThat(LineageJson.datasets(e.get("inputs"))).containsExactly("kafka://broker-1:9092 shop.inventory");
      assertThat(LineageJson.datasets(e.get("outputs"))).containsExactly(
          "file /lake/warehouse/bronze/shop_inventory = bronze.shop_inventory",
          "file /lake/warehouse/quality/quarantine = quality.quarantine");
    }
    assertThat(LineageJson.datasets(all.get(2).get("inputs")))
        .containsExactly("file /lake/warehouse/gold/inventory_availability = gold.inventory_availability");
    assertThat(LineageJson.datasets(all.get(2).get("outputs"))).containsExactly("kafka://broker-1:9092 shop.availability");
    assertThat(all).allSatisfy(e -> assertThat(e.get("run").get("facets").has("parent")).isFalse());
  }

  @Test
  void aFailedRunCarriesItsErrorAndAJobThatCouldNotStartFailsAlone() throws Exception {
    Path file = dir.resolve("events.jsonl");
    try (LineageEvents events = events(file, "file:///lake", true, Optional.empty())) {
      events.started(INGEST);
      events.ended(INGEST, new IllegalStateException("broker gone", new RuntimeException("cause")));
      events.ended(SERVING, new IllegalArgumentException("no such table"));
    }

    List<JsonNode> all = read(file);
    assertThat(all).extracting(e -> e.get("eventType").asText() + " " + e.get("job").get("name").asText())
        .containsExactly("START bronze.ingest", "FAIL bronze.ingest", "FAIL serving.availability");
    assertThat(all.get(1).get("run").get("runId")).isEqualTo(all.get(0).get("run").get("runId"));
    JsonNode error = all.get(1).get("run").get("facets").get("errorMessage");
    assertThat(error.get("message").asText()).isEqualTo("broker gone");
    assertThat(error.get("programmingLanguage").asText()).isEqualTo("JAVA");
    assertThat(error.get("stackTrace").asText()).contains("IllegalStateException: broker gone").contains("cause");
    assertThat(all.get(2).get("run").get("facets").get("errorMessage").get("message").asText()).isEqualTo("no such table");
    assertThat(all.get(0).get("job").get("facets").get("jobType").get("processingType").asText()).isEqualTo("STREAMING");
  }

  @Test
  void runsLaunchedByAnAirflowTaskNameItsRunAsTheirParent() throws Exception {
    Path file = dir.resolve("events.jsonl");
    UUID taskRun = UUID.randomUUID();
    try (LineageEvents events = events(file, "s3a://lake-bucket/prod/warehouse", false,
        Optional.of(new LineageEvents.ParentRun("airflow", "shoplake_daily.serving.availability", taskRun)))) {
      events.started(SERVING);
      events.ended(SERVING, null);
    }

    for (JsonNode e : read(file)) {
      JsonNode parent = e.get("run").get("facets").get("parent");
      assertThat(parent.get("run").get("runId").asText()).isEqualTo(taskRun.toString());
      assertThat(parent.get("job").get("namespace").asText()).isEqualTo("airflow");
      assertThat(parent.get("job").get("name").asText()).isEqualTo("shoplake_daily.serving.availability");
      assertThat(LineageJson.datasets(e.get("inputs"))).as("a table on S3 is named by its bucket and key")
          .containsExactly("s3://lake-bucket prod/warehouse/gold/inventory_availability = gold.inventory_availability");
    }
  }

  @Test
  void theParentIsReadAsAirflowsProviderPassesItAndABadOneIsLeftOut() {
    UUID taskRun = UUID.randomUUID();
    SparkConf passed = new SparkConf(false).set("spark.openlineage.parentJobNamespace", "airflow")
        .set("spark.openlineage.parentJobName", "shoplake_daily.silver.inventory")
        .set("spark.openlineage.parentRunId", taskRun.toString());
    assertThat(LineageEvents.ParentRun.from(passed))
        .contains(new LineageEvents.ParentRun("airflow", "shoplake_daily.silver.inventory", taskRun));
    assertThat(LineageEvents.ParentRun.from(new SparkConf(false))).as("run by hand: no parent").isEmpty();
    assertThat(LineageEvents.ParentRun.from(passed.clone().set("spark.openlineage.parentRunId", "task-42")))
        .as("not a run id: left out, the run goes on").isEmpty();
  }

  @Test
  void aLineageBackendThatFailsCostsAWarningNotTheJob() {
    List<String> tried = new ArrayList<>();
    Transport broken = new Transport() {
      @Override
      public void emit(OpenLineage.RunEvent event) {
        tried.add(event.getEventType() + " " + event.getJob().getName());
        throw new IllegalStateException("backend down");
      }

      @Override
      public void emit(OpenLineage.DatasetEvent event) {
        throw new IllegalStateException("backend down");
      }

      @Override
      public void emit(OpenLineage.JobEvent event) {
        throw new IllegalStateException("backend down");
      }
    };
    LineageEvents events = new LineageEvents(broken, "shoplake", tables("file:///lake"), () -> "b:9092", false, "4.2.0",
        Optional.empty());
    events.started(INGEST);
    events.ended(INGEST, null);
    events.close();
    assertThat(tried).as("each event tried, none thrown to the runner").containsExactly("START bronze.ingest",
        "COMPLETE bronze.ingest");
  }

  @Test
  void settingsNameWhatIsMissingForTheChosenTransport() {
    assertThat(LineageSettings.from(config(Map.of())).enabled()).as("off unless asked for").isFalse();
    LineageSettings file = LineageSettings.from(config(Map.of("shoplake.lineage.transport", "FILE",
        "shoplake.lineage.file", "/var/log/lineage.jsonl")));
    assertThat(file.transport()).isEqualTo(LineageSettings.Transport.FILE);
    assertThatThrownBy(() -> LineageSettings.from(config(Map.of("shoplake.lineage.transport", "file"))))
        .hasMessageContaining("set shoplake.lineage.file");
    assertThatThrownBy(() -> LineageSettings.from(config(Map.of("shoplake.lineage.transport", "http"))))
        .hasMessageContaining("set shoplake.lineage.url");
    assertThatThrownBy(() -> LineageSettings.from(config(Map.of("shoplake.lineage.transport", "marquez"))))
        .hasMessage("shoplake.lineage.transport must be one of none, console, file, kafka or http, got 'marquez'");
    assertThat(LineageSettings.from(config(Map.of("shoplake.lineage.transport", "http",
        "shoplake.lineage.url", "http://marquez:5000"))).url()).hasToString("http://marquez:5000");
  }

  private static ShoplakeConfig config(Map<String, String> overrides) {
    Map<String, String> all = new java.util.HashMap<>(overrides);
    all.put("shoplake.storage.warehouse", "file:///lake");
    return ShoplakeConfig.load("local", all);
  }
}
