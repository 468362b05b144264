package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.anomalies.AnomaliesJob;
import io.shoplake.ingest.BronzeIngestJob;
import io.shoplake.serving.AvailabilityServingJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After the {@link SharedPipelineRun} has caught up, {@code shoplake status} finds every job
 * with nothing waiting and exits 0, and shows what the run quarantined and served. ({@link
 * CrashRecoveryIT} sees it red while the pipeline is down.)
 */
@Order(1)
class StatusIT {
  @Test
  void aCaughtUpPipelineIsOkEverywhereWithItsQuarantineAndServingAges() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    ItSpark.get(Devstack.get());
    StatusCli.Status status = StatusCli.run(run.settings(), Map.of());

    List<String> notOk = new ArrayList<>();
    for (Job job : Pipeline.jobs(run.config())) {
      JsonNode j = status.job(job.name());
      if (job.name().equals(AnomaliesJob.NAME)) {
        // The pass's batch reports land in the event log after each job ends, its reader's too: they
        // wait for its next pass, and that is all that may wait.
        assertThat(j.path("state").asText()).as(j.toString()).isIn("ok", "catching_up");
        for (JsonNode source : j.path("sources")) {
          if (source.path("unread").asLong() > 0) assertThat(source.path("source").asText()).isEqualTo("quality.pipeline_events");
        }
      } else if (!j.path("state").asText().equals("ok")) {
        notOk.add(j.toString());
      }
      assertThat(j.path("last_batch").path("batch_id").isNumber()).as(job.name() + "'s last batch").isTrue();
    }
    assertThat(notOk).as("jobs not ok after the run caught up").isEmpty();
    assertThat(status.exitCode()).as(status.json().toPrettyString()).isZero();
    assertThat(status.job(BronzeIngestJob.NAME).path("sources").size()).as("ingest's topics").isGreaterThan(1);

    assertThat(status.json().path("quarantined_last_day").findValues("stage").stream().map(JsonNode::asText))
        .as("stages that quarantined in the last day").contains(BronzeIngestJob.NAME);
    assertThat(served(status, "redis", AvailabilityServingJob.NAME).path("age_seconds").asLong())
        .as("age of Redis' availability").isBetween(0L, 3600L);
    assertThat(served(status, "kafka", run.config().string("shoplake.serving.availability-topic")).has("newest_at"))
        .as("the availability topic's newest record").isTrue();
    assertThat(status.json().path("alerts").path("asked").asBoolean()).as("no Prometheus configured").isFalse();
  }

  static JsonNode served(StatusCli.Status status, String store, String name) {
    for (JsonNode v : status.json().path("served")) {
      if (v.path("store").asText().equals(store) && v.path("name").asText().equals(name)) return v;
    }
    throw new AssertionError("nothing served by " + store + " " + name + " in " + status.json().path("served"));
  }
}
