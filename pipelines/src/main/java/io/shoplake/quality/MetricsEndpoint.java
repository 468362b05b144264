package io.shoplake.quality;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;

/**
 * The HTTP endpoint Prometheus scrapes ({@code /metrics}): {@link PipelineMetrics} and the JVM's
 * own series (heap, GC, threads, CPU), side by side. Spark's series are on its UI's port
 * ({@code /metrics/prometheus}, {@code /metrics/executors/prometheus}).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /** Serves the default registry on {@code port}; 0 takes any free port ({@link #port()} says which). */
  public static MetricsEndpoint start(int port) throws IOException {
    return start(port, "shoplake.metrics.port");
  }

  /** As {@link #start(int)}, for a process whose port is set by {@code setting} (named when it is taken). */
  public static MetricsEndpoint start(int port, String setting) throws IOException {
    JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
    try {
      return new MetricsEndpoint(HTTPServer.builder().port(port).buildAndStart());
    } catch (BindException e) {
      throw new IOException("port " + port + " for Prometheus metrics is taken (another Shoplake process?):"
          + " set " + setting + " to a free one, 0 for any, -1 for none", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
