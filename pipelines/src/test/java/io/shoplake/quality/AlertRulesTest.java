package io.shoplake.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules shipped in conf/prometheus, checked and unit-tested by Prometheus' own
 * promtool (Debian's prometheus package, which bin/test installs), and written against the
 * series {@link PipelineMetrics} really serves.
 */
class AlertRulesTest {
  private static final Path RULES = Path.of(System.getProperty("shoplake.home"), "conf", "prometheus");

  private static String promtool(String... args) throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/promtool");
    assertThat(binary).as("promtool, from Debian's prometheus package: bin/test installs it").isExecutable();
    List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("promtool " + String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }

  @Test
  void everyRuleIsValidAndFiresOnTheHistoryItIsForAndNotOnItsLookAlike() throws Exception {
    assertThat(promtool("check", "rules", "shoplake-alerts.yml")).contains("SUCCESS: 8 rules found");
    assertThat(promtool("test", "rules", "shoplake-alerts.test.yml")).contains("SUCCESS");
  }

  @Test
  void theRulesAskOnlyForSeriesTheEndpointServes() throws Exception {
    io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    new PipelineMetrics(registry);
    Set<String> served = new java.util.HashSet<>(Set.of("up"));
    registry.scrape().forEach(snapshot -> {
      String name = snapshot.getMetadata().getPrometheusName();
      served.add(name);
      served.add(name + "_total");
    });
    Matcher m = Pattern.compile("\\b(shoplake_[a-z_]+|up)\\b").matcher(Files.readString(RULES.resolve("shoplake-alerts.yml")));
    Set<String> asked = new java.util.TreeSet<>();
    while (m.find()) asked.add(m.group(1));
    asked.remove("shoplake_job"); // the label
    assertThat(asked).isNotEmpty();
    assertThat(served).containsAll(asked);
  }

  @Test
  void theOperationsReferenceListsEverySeriesTheEndpointServesAndEveryRule() throws Exception {
    io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    new PipelineMetrics(registry);
    String doc = Files.readString(RULES.getParent().getParent().resolve("docs/operations.md"));
    List<String> undocumented = new java.util.ArrayList<>();
    List<String> checked = new java.util.ArrayList<>();
    registry.scrape().forEach(snapshot -> {
      String name = snapshot.getMetadata().getPrometheusName();
      checked.add(name);
      boolean counter = snapshot instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot;
      if (!doc.contains("`" + name + (counter ? "_total" : "") + "`")) undocumented.add(name);
    });
    assertThat(checked).as("series served").contains("shoplake_job_batches", "shoplake_kafka_lag_seconds");
    assertThat(undocumented).as("series missing from docs/operations.md").isEmpty();
    Matcher rule = Pattern.compile("- alert: (\\w+)").matcher(Files.readString(RULES.resolve("shoplake-alerts.yml")));
    while (rule.find()) assertThat(doc).as("docs/operations.md names the rule").contains("`" + rule.group(1) + "`");
  }
}
