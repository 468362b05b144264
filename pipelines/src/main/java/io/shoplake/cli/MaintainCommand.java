package io.shoplake.cli;

import io.shoplake.Pipeline;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.maintenance.MaintenanceSettings;
import io.shoplake.maintenance.TableMaintenance;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.shoplake.privacy.ErasedHistory;
import io.shoplake.privacy.PrivacySettings;
import java.util.List;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {"Table maintenance over every registry table.",
        "  optimize  compact small files (OPTIMIZE)",
        "  vacuum    delete unreferenced files older than shoplake.maintenance.vacuum-retention (VACUUM);",
        "            that retention is how far back time travel works",
        "  vacuum --erasure  after `privacy forget`: removes what the old versions of the tables an erasure",
        "            rewrites still hold (files, change feed, log), keeping only shoplake.privacy.erasure-vacuum-retention",
        "            and what running jobs still read; time travel before it is gone. Exit 4 while a job",
        "            has not read past an erasure's commits, which hold statistics of what they replaced"})
final class MaintainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ACTION", description = "optimize or vacuum")
  Action action;

  @Option(names = "--erasure", description = "With vacuum: the history an erasure left behind, not the usual retention.")
  boolean erasure;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  enum Action { optimize, vacuum }

  @Override
  public Integer call() throws Exception {
    ShoplakeConfig config = configOptions.load();
    MaintenanceSettings settings = MaintenanceSettings.from(config);
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = SparkSessionFactory.create(config);
    if (erasure) {
      if (action != Action.vacuum) throw new CommandLine.ParameterException(spec.commandLine(), "--erasure goes with vacuum");
      List<String> held = new ErasedHistory(spark, Tables.from(config), PrivacySettings.from(config), Pipeline.graph(config),
          Pipeline.allTables(config), settings.listingParallelism()).vacuum(out);
      held.forEach(h -> out.println("kept " + h + ": run again once the jobs reading it have read past it"));
      out.flush();
      return held.isEmpty() ? 0 : PrivacyCommand.READERS_BEHIND;
    }
    switch (action) {
      case optimize -> TableMaintenance.optimize(spark, Tables.from(config), Pipeline.allTables(config), out);
      case vacuum -> TableMaintenance.vacuum(spark, Tables.from(config), Pipeline.allTables(config), settings, out);
    }
    return 0;
  }
}
