package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoplake.cli.ShoplakeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code shoplake status --json} in the test JVM, on a run's settings. */
final class StatusCli {
  private StatusCli() {}

  /** The exit code and the printed status. */
  record Status(int exitCode, JsonNode json) {
    /** The entry of {@code job} in the status' job list. */
    JsonNode job(String job) {
      for (JsonNode j : json.path("jobs")) {
        if (j.path("job").asText().equals(job)) return j;
      }
      throw new AssertionError("no job " + job + " in " + json.toPrettyString());
    }
  }

  static Status run(Map<String, String> settings, Map<String, String> overrides) throws Exception {
    Map<String, String> all = new HashMap<>(settings);
    all.putAll(overrides);
    List<String> args = new ArrayList<>(List.of("status", "--json", "--env", "local"));
    all.forEach((k, v) -> args.addAll(List.of("--conf", k + "=" + v)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ShoplakeCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    assertThat(err.toString()).as("status' errors").isEmpty();
    return new Status(code, new ObjectMapper().readTree(out.toString()));
  }
}
