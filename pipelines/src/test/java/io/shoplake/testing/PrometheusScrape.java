package io.shoplake.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus text endpoint, as Prometheus reads it: samples by name and labels. */
public final class PrometheusScrape {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusScrape() {}

  /** Each sample of {@code url}, keyed as {@link #key} makes it; a line that is no sample fails. */
  public static Map<String, Double> of(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new IOException(url + " answered " + response.statusCode());
    return parse(response.body());
  }

  /** What this JVM's default registry (where Shoplake's series live) would answer a scrape now. */
  public static Map<String, Double> ofThisJvm() throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(out, io.prometheus.metrics.model.registry.PrometheusRegistry.defaultRegistry.scrape());
    return parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Map<String, Double> parse(String body) throws IOException {
    Map<String, Double> samples = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) continue;
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) throw new IOException("not a sample line of the text format: " + line);
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) labels.put(l.group(1), l.group(2));
      }
      samples.put(m.group(1) + labels, Double.parseDouble(m.group(4)));
    }
    return samples;
  }

  /** A sample's key: its name, then its labels in name order ({@code name{a=1, b=2}}). */
  public static String key(String name, String... labelPairs) {
    Map<String, String> labels = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) labels.put(labelPairs[i], labelPairs[i + 1]);
    return name + labels;
  }
}
