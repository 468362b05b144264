package io.shoplake.core;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where each job run's OpenLineage events go, from {@code shoplake.lineage.*}: nowhere (the
 * default), the log, a file of JSON lines, a Kafka topic on the pipeline's brokers, or an HTTP
 * endpoint such as Marquez's. {@code httpToken} comes from the environment only.
 */
public record LineageSettings(Transport transport, String namespace, String file, String topic, URI url,
    String httpToken) {

  public enum Transport { NONE, CONSOLE, FILE, KAFKA, HTTP }

  public LineageSettings {
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("shoplake.lineage.namespace must not be empty");
    }
    if (transport == Transport.FILE && (file == null || file.isBlank())) {
      throw new IllegalArgumentException("shoplake.lineage.transport is file: set shoplake.lineage.file to the file"
          + " the events are appended to");
    }
    if (transport == Transport.KAFKA && (topic == null || topic.isBlank())) {
      throw new IllegalArgumentException("shoplake.lineage.transport is kafka: set shoplake.lineage.topic");
    }
    if (transport == Transport.HTTP && url == null) {
      throw new IllegalArgumentException("shoplake.lineage.transport is http: set shoplake.lineage.url"
          + " (e.g. http://marquez:5000)");
    }
  }

  public static LineageSettings from(ShoplakeConfig config) {
    String name = config.string("shoplake.lineage.transport");
    Transport transport = Arrays.stream(Transport.values())
        .filter(t -> t.name().equals(name.toUpperCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("shoplake.lineage.transport must be one of none, console,"
            + " file, kafka or http, got '" + name + "'"));
    String url = config.string("shoplake.lineage.url");
    return new LineageSettings(transport, config.string("shoplake.lineage.namespace"),
        config.string("shoplake.lineage.file"), config.string("shoplake.lineage.topic"),
        url.isBlank() ? null : URI.create(url), config.stringOr("shoplake.lineage.http-token", null));
  }

  public boolean enabled() {
    return transport != Transport.NONE;
  }

  @Override
  public String toString() {
    return "LineageSettings[" + transport + ", namespace=" + namespace + "]";
  }
}
