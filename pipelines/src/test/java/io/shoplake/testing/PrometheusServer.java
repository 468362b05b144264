package io.shoplake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A private Prometheus (Debian's package, which {@code bin/test} installs like PostgreSQL and
 * Redis) scraping the given targets every second, on a port of its own, queried through its
 * HTTP API as a dashboard or an alert rule would.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final String api;
  private final Path log;

  private PrometheusServer(Process process, String api, Path log) {
    this.process = process;
    this.api = api;
    this.log = log;
  }

  /** What Prometheus scrapes: its scrape job's name, host:port, and the path of the text endpoint. */
  public record Target(String job, String hostPort, String path) {}

  /** Starts scraping every target each second; ready when this returns. */
  public static PrometheusServer scraping(Path dir, List<Target> targets) throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/prometheus");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("no " + binary + ": bin/test installs Debian's prometheus package");
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    StringBuilder yaml = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
    for (Target t : targets) {
      yaml.append("  - job_name: '").append(t.job()).append("'\n    metrics_path: '").append(t.path())
          .append("'\n    static_configs:\n      - targets: ['").append(t.hostPort()).append("']\n");
    }
    Files.writeString(config, yaml.toString());
    int port = FreePort.pick();
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        if (server.get("/-/ready").statusCode() == 200) return server;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("prometheus did not become ready; see " + log);
      }
      Thread.sleep(200);
    }
  }

  /** An instant query: each series' labels (in name order) with its value; empty when nothing matches. */
  public Map<String, Double> query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = JSON.readTree(response.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IOException("prometheus refused " + promql + ": " + response.body());
    }
    Map<String, Double> series = new HashMap<>();
    for (JsonNode result : body.path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      result.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      series.put(labels.toString(), Double.parseDouble(result.path("value").get(1).asText()));
    }
    return series;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Where its HTTP API answers, e.g. http://127.0.0.1:39091. */
  public String url() {
    return api;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
