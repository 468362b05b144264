package io.shoplake.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The alerts Prometheus has firing now, from its HTTP API ({@code /api/v1/alerts}). */
public final class FiringAlerts {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One firing alert: its name, its labels (alertname left out) and since when it fires. */
  public record Alert(String name, Map<String, String> labels, String activeAt) {}

  private FiringAlerts() {}

  /** Asks the Prometheus at {@code baseUrl} (e.g. http://prometheus:9090). */
  public static List<Alert> ask(String baseUrl) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "")
        + "/api/v1/alerts")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Prometheus at " + baseUrl + " answered HTTP " + response.statusCode());
    }
    return parse(response.body());
  }

  /** The firing alerts of an {@code /api/v1/alerts} answer; pending ones are not firing yet. */
  static List<Alert> parse(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!"success".equals(root.path("status").asText())) {
      throw new IOException("Prometheus' alerts API did not succeed: " + body);
    }
    List<Alert> firing = new ArrayList<>();
    for (JsonNode alert : root.path("data").path("alerts")) {
      if (!"firing".equals(alert.path("state").asText())) continue;
      Map<String, String> labels = new TreeMap<>();
      alert.path("labels").fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
      String name = labels.remove("alertname");
      firing.add(new Alert(name, labels, alert.path("activeAt").asText()));
    }
    return firing;
  }
}
