package io.shoplake.cli;

import io.shoplake.Pipeline;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Tables;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run one job, or 'pipeline' for all of them in data-flow order.",
        "Jobs: bronze.ingest, silver.<table> (one per shoplake.cdc.tables entry), gold.inventory_availability,"
            + " serving.availability, pipeline."})
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Parameters(index = "0", paramLabel = "JOB", description = "Job name, or 'pipeline'.")
  String job;

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
    List<Job> jobs = Pipeline.select(resolved, job).orElseThrow(() -> new CommandLine.ParameterException(
        spec.commandLine(), "Unknown job '" + job + "'. Known jobs: " + Pipeline.names(resolved)));
    LOG.info(resolved.describe());
    Tables.from(resolved); // fail fast on a missing warehouse before starting Spark
    SparkSession spark = SparkSessionFactory.create(resolved);
    JobContext context = JobContext.create(spark, resolved);
    TableBootstrap.ensure(spark, context.tables(), Pipeline.tables(resolved, context.tables()));
    try (JobRunner runner = new JobRunner(context)) {
      if (context.continuous()) {
        runner.startAll(jobs);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "stop-streams"));
        runner.awaitAny();
      } else {
        runner.runToCompletion(jobs);
      }
    }
    return 0;
  }
}
