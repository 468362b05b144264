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
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {"Table maintenance over every registry table.",
        "  optimize  compact small files (OPTIMIZE)",
        "  vacuum    delete unreferenced files older than shoplake.maintenance.vacuum-retention (VACUUM);",
        "            that retention is how far back time travel works"})
final class MaintainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "ACTION", description = "optimize or vacuum")
  Action action;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  enum Action { optimize, vacuum }

  @Override
  public Integer call() {
    ShoplakeConfig config = configOptions.load();
    MaintenanceSettings settings = MaintenanceSettings.from(config);
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = SparkSessionFactory.create(config);
    switch (action) {
      case optimize -> TableMaintenance.optimize(spark, Tables.from(config), Pipeline.allTables(config), out);
      case vacuum -> TableMaintenance.vacuum(spark, Tables.from(config), Pipeline.allTables(config), settings, out);
    }
    return 0;
  }
}
