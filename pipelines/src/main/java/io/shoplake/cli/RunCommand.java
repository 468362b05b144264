package io.shoplake.cli;

import io.shoplake.RunObservers;
import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobGraph;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.StopAtShutdown;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import io.shoplake.ingest.KafkaLag;
import io.shoplake.quality.MetricsEndpoint;
import io.shoplake.quality.PipelineMetrics;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run jobs, or 'pipeline' for all of them. Available-now (the default), each job runs once",
        "the jobs writing what it reads have caught up, up to shoplake.trigger.parallel-jobs at once.",
        "Every job, with what it reads and writes: `shoplake jobs`."})
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  /** Beyond the stop grace, for the real-time queries' stop and the observers' last reports. */
  private static final java.time.Duration STOP_OVERHEAD = java.time.Duration.ofMinutes(1);

  @Parameters(arity = "1..*", paramLabel = "JOB", description = "Job names, or 'pipeline'.")
  List<String> jobNames;

  @Option(names = "--continuous",
      description = "Run until stopped, one micro-batch per shoplake.trigger.interval (default: available-now).")
  boolean continuous;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ShoplakeConfig config = configOptions.load();
    if (continuous) config = config.with("shoplake.trigger.mode", "processing-time");
    ShoplakeConfig resolved = config;
    List<Job> jobs = new java.util.ArrayList<>();
    for (String job : jobNames) {
      jobs.addAll(Pipeline.select(resolved, job).orElseThrow(() -> new CommandLine.ParameterException(
          spec.commandLine(), "Unknown job '" + job + "'. Known jobs: " + Pipeline.names(resolved))));
    }
    LOG.info(resolved.describe());
    Tables tables = Tables.from(resolved); // fail fast on a missing warehouse before starting Spark
    JobGraph graph = Pipeline.graph(resolved);
    List<String> flowOrder = graph.flowOrder().stream().map(Job::name).toList();
    jobs = jobs.stream().distinct().sorted(java.util.Comparator.comparingInt(j -> flowOrder.indexOf(j.name()))).toList();
    SparkSession spark = SparkSessionFactory.create(resolved);
    JobContext context = JobContext.create(spark, resolved);
    TableBootstrap.ensure(spark, tables, graph.tablesTouchedBy(jobs));
    try (JobRunner runner = new JobRunner(context, RunObservers.of(context))) {
      if (context.continuous()) {
        try (var metrics = metricsEndpoint(resolved, spark, context)) {
          StopAtShutdown.register(runner::close, context.triggers().restarts().stopGrace().plus(STOP_OVERHEAD));
          runner.startLatencyPathFirst(jobs);
          runner.awaitEnd();
        }
      } else {
        runner.runToCompletion(jobs);
      }
    }
    return 0;
  }

  /**
   * A continuous run serves its metrics for Prometheus on shoplake.metrics.port (-1: none). Kafka
   * lag is asked of the broker at each scrape; a run without Kafka jobs never connects.
   */
  private static AutoCloseable metricsEndpoint(ShoplakeConfig config, SparkSession spark, JobContext context)
      throws java.io.IOException {
    int port = config.integer("shoplake.metrics.port");
    if (port < 0) return () -> {};
    PipelineMetrics metrics = PipelineMetrics.get().attach(spark);
    var lag = com.google.common.base.Suppliers.memoize(() -> KafkaLag.connect(context.kafka().connection()));
    metrics.endOffsetsFrom(partitions -> lag.get().ends(partitions));
    metrics.arrivalsFrom(offsets -> lag.get().arrivals(offsets));
    MetricsEndpoint endpoint = MetricsEndpoint.start(port);
    LOG.info("Prometheus metrics on port {} at /metrics", endpoint.port());
    return () -> {
      endpoint.close();
      spark.streams().removeListener(metrics);
    };
  }
}
