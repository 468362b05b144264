package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.models.registry.RegistryEntry;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Serve the previous champion again.", "The current one is marked rolled_back.",
        "Run 'models recommend --publish' afterwards to serve its recommendations."})
final class RollbackCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    RegistryEntry restored = ModelsSession.open(configOptions.load()).lifecycle().rollback();
    spec.commandLine().getOut().printf("v%d is the champion again%n", restored.version());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
