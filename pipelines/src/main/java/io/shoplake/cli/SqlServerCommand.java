package io.shoplake.cli;

import io.shoplake.core.StopAtShutdown;
import io.shoplake.quality.MetricsEndpoint;
import io.shoplake.sql.SqlServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sql-server", mixinStandardHelpOptions = true,
    description = {"Serve the silver/gold/quality tables by name over Spark Connect (sc://HOST:PORT),",
        "on the warehouse of --env, until Ctrl-C. Read-only unless --read-write: plans that change",
        "tables are refused. Bronze and the raw quarantine (personal data) only with --engineers;",
        "analysts read nothing but the served tables (see README: what is enforced and what is not)."})
final class SqlServerCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}); another needs SHOPLAKE_SQL_SERVER_TOKEN, and TLS for remote PySpark clients.")
  String host;

  @Option(names = "--port", defaultValue = "15002", description = "gRPC port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--read-write", description = "Allow writes and DDL (for engineers, not analysts; implies --engineers).")
  boolean readWrite;

  @Option(names = "--engineers",
      description = "Also serve bronze and the quarantine with its raw records, and reads by path (restricted data).")
  boolean engineers;

  @Option(names = "--metrics-port", defaultValue = "9465",
      description = "Prometheus metrics at /metrics: the JVM's and the refused plans; 0 any free port, -1 none"
          + " (default: ${DEFAULT-VALUE}; Spark's own are on its UI's port at /metrics/prometheus).")
  int metricsPort;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    MetricsEndpoint metrics = metricsPort < 0 ? null : MetricsEndpoint.start(metricsPort, "--metrics-port");
    if (metrics != null) out.println("metrics for Prometheus on port " + metrics.port() + " at /metrics");
    SqlServer.start(configOptions.load(), new SqlServer.Options(host, port, readWrite, engineers), out);
    CountDownLatch stopped = new CountDownLatch(1);
    StopAtShutdown.register(() -> {
      SqlServer.stop();
      if (metrics != null) metrics.close();
      stopped.countDown();
    }, java.time.Duration.ofMinutes(1));
    stopped.await();
    return 0;
  }
}
