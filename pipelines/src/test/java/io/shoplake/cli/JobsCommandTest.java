package io.shoplake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `shoplake jobs` is what the Airflow tests check every task against: it must list what really runs. */
class JobsCommandTest {
  private List<String> run(String... args) {
    StringWriter out = new StringWriter();
    int code = ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args);
    assertThat(code).isZero();
    return out.toString().lines().toList();
  }

  @Test
  void listsEveryJobThatRunAccepts() {
    assertThat(run("jobs")).containsSubsequence("bronze.ingest", "silver.inventory", "gold.inventory_availability",
        "serving.availability", "pipeline").doesNotContain("silver.nosuch");
  }

  @Test
  void exportsTheGraphEachJobWithWhatItReadsAndWrites() throws Exception {
    var graph = new com.fasterxml.jackson.databind.ObjectMapper().readTree(String.join("\n", run("jobs", "--json")));
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.LinkedHashMap<>();
    graph.get("jobs").forEach(j -> byName.put(j.get("name").asText(), j));
    List<String> names = run("jobs");
    assertThat(List.copyOf(byName.keySet())).as("the same jobs as `shoplake jobs`, in its order")
        .isEqualTo(names.subList(0, names.size() - 1));
    var gold = byName.get("gold.inventory_availability");
    assertThat(gold.get("kind").asText()).isEqualTo("continuous");
    assertThat(gold.get("reads").toString()).contains("bronze.shop_inventory", "silver.inventory");
    assertThat(gold.get("writes").toString()).isEqualTo("[\"gold.inventory_availability\"]");
    assertThat(gold.get("upstream").toString()).contains("bronze.ingest", "silver.inventory");
    assertThat(byName.get("serving.availability").get("topics_written").toString()).contains("serving.inventory_availability");
    assertThat(byName.get("bronze.ingest").get("topics_read").toString()).contains("shop.inventory", "clickstream");
    assertThat(byName.get("gold.price_recommendations").get("kind").asText()).isEqualTo("scheduled");
    assertThat(byName.get("serving.prices").get("kind").asText()).isEqualTo("serving");
  }

  @Test
  void listsCommandsWithTheirActions() {
    assertThat(run("jobs", "--commands")).contains("check reconcile", "maintain optimize", "maintain vacuum",
        "sql-server").doesNotContain("maintain", "check", "devstack up");
  }
}
