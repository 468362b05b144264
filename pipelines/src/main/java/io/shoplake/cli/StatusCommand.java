package io.shoplake.cli;

import io.shoplake.core.KafkaConnection;
import io.shoplake.core.KafkaSettings;import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoplake.Pipeline;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.status.JobHealth;
import io.shoplake.status.PipelineStatus;
import io.shoplake.status.SourceLag;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"One screen for the engineer on call: each job's state (ok, catching up, BEHIND, NEVER RAN,",
        "UNKNOWN), its last batch, what waits in its sources and since when; the last day's quarantine by",
        "stage and class; when Redis and each serving topic last got a value; the alerts Prometheus has",
        "firing (shoplake.status.prometheus-url); the anomaly incidents still open (ops.anomalies). A job",
        "is BEHIND when its oldest unread input has waited longer than shoplake.status.stale-after. Exit 0",
        "when all is well, 3 when anything is red (an open anomaly is shown, not red): usable as a health check."})
final class StatusCommand implements Callable<Integer> {
  static final int RED = 3;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ShoplakeConfig config = configOptions.load();
    Tables tables = Tables.from(config);
    var sources = new PipelineStatus.Sources(
        config.has("shoplake.kafka.bootstrap-servers") ? KafkaSettings.connection(config) : null,
        config.has("shoplake.redis.host") ? RedisSettings.from(config) : null,
        config.stringOr("shoplake.status.prometheus-url", ""));
    PipelineStatus status = PipelineStatus.gather(SparkSessionFactory.create(config), tables, Pipeline.graph(config),
        sources, Duration.ofMillis(config.millis("shoplake.status.stale-after")));
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? json(status) : text(status));
    out.flush();
    return status.red() ? RED : 0;
  }

  static String text(PipelineStatus s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-28s %-12s %-16s %-26s %s%n", "JOB", "STATE", "LAST COMMIT", "LAST BATCH", "WAITING"));
    for (JobHealth j : s.jobs()) {
      String commit = j.progress().map(p -> p.committedBatch() < 0 ? "first running"
          : "#" + p.committedBatch() + " " + ago(s.checkedAt(), p.committedAt()) + (p.batchInFlight() ? " +1" : ""))
          .orElse("-");
      var last = s.lastBatches().get(j.job());
      String batch = last == null ? "-" : String.format("%,d rows in %.1f s", last.rowsIn(), last.durationMs() / 1000.0);
      b.append(String.format("%-28s %-12s %-16s %-26s %s%n", j.job(), j.state().label, commit, batch, waiting(s, j)));
      j.failure().filter(f -> j.state() == JobHealth.State.FAILING).ifPresent(f -> b.append(String.format(
          "  failed %d time%s in a row, last %s: %s%n", f.inARow(), f.inARow() == 1 ? "" : "s", ago(s.checkedAt(),
              f.failedAt()), abbreviated(f.cause()))));
    }
    b.append(String.format("%nQUARANTINED, LAST 24 H%n"));
    if (s.quarantinedLastDay().isEmpty()) b.append("  none\n");
    s.quarantinedLastDay().forEach(q -> b.append(String.format("  %-28s %-24s %,d%n", q.stage(), q.errorClass(), q.rows())));
    b.append(String.format("%nSERVED%n"));
    if (s.served().isEmpty()) b.append("  nothing configured\n");
    s.served().forEach(v -> b.append(String.format("  %-6s %-34s %s%n", v.store(), v.name(),
        v.newestAt().map(t -> "newest " + ago(s.checkedAt(), t)).orElse("nothing yet"))));
    b.append(String.format("%nALERTS%n"));
    var alerts = s.alerts();
    if (!alerts.asked()) b.append("  not asked: shoplake.status.prometheus-url is not set\n");
    else if (alerts.problem() != null) b.append("  UNKNOWN: ").append(alerts.problem()).append('\n');
    else if (alerts.firing().isEmpty()) b.append("  none firing\n");
    alerts.firing().forEach(a -> b.append(String.format("  FIRING %s %s since %s%n", a.name(), a.labels(), a.activeAt())));
    b.append(String.format("%nOPEN ANOMALIES (ops.anomalies, quality.alerts)%n"));
    if (s.openAnomalies().isEmpty()) b.append("  none\n");
    s.openAnomalies().forEach(a -> b.append(String.format("  %-14s since %s  %s%n", a.kind(), a.openedBucket(), a.message())));
    long red = s.jobs().stream().filter(j -> j.state().red).count();
    b.append(String.format("%n%s: %d of %d jobs red, %d alerts firing%s, %d anomalies open%n", s.red() ? "RED" : "ok", red,
        s.jobs().size(), alerts.firing().size(), alerts.problem() == null ? "" : ", alerts unknown", s.openAnomalies().size()));
    return b.toString();
  }

  private static String waiting(PipelineStatus s, JobHealth j) {
    String unread = j.lags().stream().filter(l -> l.unread() != 0)
        .map(l -> (l.unread() < 0 ? "?" : String.format("%,d", l.unread())) + " " + l.unit() + " of " + l.source())
        .collect(Collectors.joining(", "));
    if (unread.isEmpty()) return "nothing";
    return unread + j.waitingSince().map(t -> ", oldest " + ago(s.checkedAt(), t)).orElse("");
  }

  /** The cause's first line, short: the whole chain is in quality.job_failures and the run's log. */
  private static String abbreviated(String cause) {
    String first = cause.lines().findFirst().orElse("");
    return first.length() <= 200 ? first : first.substring(0, 199) + "…";
  }

  private static String ago(Instant now, Instant then) {
    long seconds = Math.max(0, Duration.between(then, now).getSeconds());
    if (seconds < 120) return seconds + " s ago";
    if (seconds < 7200) return seconds / 60 + " min ago";
    return seconds / 3600 + " h ago";
  }

  static String json(PipelineStatus s) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("status", s.red() ? "red" : "ok").put("checked_at", s.checkedAt().toString())
        .put("stale_after_seconds", s.staleAfter().getSeconds());
    ArrayNode jobs = root.putArray("jobs");
    for (JobHealth j : s.jobs()) {
      ObjectNode job = jobs.addObject().put("job", j.job()).put("state", j.state().name().toLowerCase())
          .put("red", j.state().red);
      j.progress().ifPresent(p -> job.put("committed_batch", p.committedBatch())
          .put("committed_at", p.committedAt().toString()).put("batch_in_flight", p.batchInFlight()));
      j.waitingSince().ifPresent(t -> job.put("waiting_since", t.toString()));
      j.failure().ifPresent(f -> job.putObject("last_failure").put("failed_at", f.failedAt().toString())
          .put("in_a_row", f.inARow()).put("cause", f.cause()));
      ArrayNode lags = job.putArray("sources");
      for (SourceLag.Lag l : j.lags()) {
        ObjectNode lag = lags.addObject().put("source", l.source()).put("unit", l.unit()).put("unread", l.unread());
        l.waitingSince().ifPresent(t -> lag.put("waiting_since", t.toString()));
      }
      var last = s.lastBatches().get(j.job());
      if (last != null) {
        job.putObject("last_batch").put("batch_id", last.batchId()).put("started_at", last.startedAt().toString())
            .put("duration_ms", last.durationMs()).put("rows_in", last.rowsIn());
      }
    }
    ArrayNode quarantined = root.putArray("quarantined_last_day");
    s.quarantinedLastDay().forEach(q -> quarantined.addObject().put("stage", q.stage()).put("error_class", q.errorClass())
        .put("rows", q.rows()));
    ArrayNode served = root.putArray("served");
    s.served().forEach(v -> {
      ObjectNode node = served.addObject().put("store", v.store()).put("name", v.name());
      Optional<Instant> at = v.newestAt();
      at.ifPresent(t -> node.put("newest_at", t.toString())
          .put("age_seconds", Math.max(0, Duration.between(t, s.checkedAt()).getSeconds())));
    });
    ObjectNode alerts = root.putObject("alerts").put("asked", s.alerts().asked());
    if (s.alerts().problem() != null) alerts.put("problem", s.alerts().problem());
    ArrayNode firing = alerts.putArray("firing");
    s.alerts().firing().forEach(a -> {
      ObjectNode alert = firing.addObject().put("name", a.name()).put("active_at", a.activeAt());
      ObjectNode labels = alert.putObject("labels");
      a.labels().forEach(labels::put);
    });
    ArrayNode anomalies = root.putArray("open_anomalies");
    s.openAnomalies().forEach(a -> anomalies.addObject().put("alert_id", a.alertId()).put("kind", a.kind())
        .put("subject", a.subject()).put("opened_bucket", a.openedBucket().toString()).put("message", a.message()));
    return root.toPrettyString();
  }
}
