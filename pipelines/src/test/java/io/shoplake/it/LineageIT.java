package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobGraph;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.testing.LineageJson;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The {@link SharedPipelineRun} sent each job run's OpenLineage events to Kafka: read from the
 * topic as a catalog would, every job of the registry ran under its own name, each run started
 * and completed, and its inputs and outputs are the tables and topics its job declares.
 */
@Order(1)
class LineageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyJobRunIsAStartAndACompleteWithWhatItsJobDeclares() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    ShoplakeConfig config = run.config();
    JobGraph graph = Pipeline.graph(config);
    // The run's own warehouse, on S3, where its events point.
    Tables tables = Tables.from(run.s3Config());
    String bootstrap = config.string("shoplake.kafka.bootstrap-servers");
    String kafka = "kafka://" + bootstrap.split(",")[0];

    Map<String, List<JsonNode>> byJob = new TreeMap<>();
    for (var record : ServingTopicReader.all(bootstrap, config.string("shoplake.lineage.topic"))) {
      JsonNode event = JSON.readTree(record.value());
      assertThat(event.get("job").get("namespace").asText()).isEqualTo("shoplake");
      byJob.computeIfAbsent(event.get("job").get("name").asText(), j -> new ArrayList<>()).add(event);
    }
    assertThat(byJob.keySet()).as("jobs with lineage: every job of the registry")
        .isEqualTo(graph.flowOrder().stream().map(Job::name).collect(Collectors.toCollection(TreeSet::new)));

    for (var entry : byJob.entrySet()) {
      JobDeclaration declared = graph.declaration(entry.getKey());
      Set<String> inputs = new TreeSet<>();
      declared.reads().forEach(t -> inputs.add(table(tables, t)));
      declared.topicsRead().forEach(t -> inputs.add(kafka + " " + t));
      Set<String> outputs = new TreeSet<>();
      declared.written().forEach(t -> outputs.add(table(tables, t)));
      declared.topicsWritten().forEach(t -> outputs.add(kafka + " " + t));

      Map<String, List<String>> runs = new TreeMap<>();
      for (JsonNode event : entry.getValue()) {
        runs.computeIfAbsent(event.get("run").get("runId").asText(), r -> new ArrayList<>())
            .add(event.get("eventType").asText());
        assertThat(datasets(event.get("inputs"))).as(entry.getKey() + " inputs").isEqualTo(inputs);
        assertThat(datasets(event.get("outputs"))).as(entry.getKey() + " outputs").isEqualTo(outputs);
      }
      assertThat(runs.values()).as(entry.getKey() + ": each run started, then completed")
          .isNotEmpty().allSatisfy(events -> assertThat(events).containsExactly("START", "COMPLETE"));
    }
  }

  /** A table as the events name it: its bucket and key, and its registry name as the symlink. */
  private static String table(Tables tables, TableId id) {
    URI at = URI.create(tables.path(id));
    assertThat(at.getScheme()).isEqualTo("s3a");
    return "s3://" + at.getAuthority() + " " + at.getPath().substring(1) + " = " + id;
  }

  private static Set<String> datasets(JsonNode datasets) {
    return new TreeSet<>(LineageJson.datasets(datasets));
  }
}
