package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.models.interactions.ShopInteractions;
import io.shoplake.models.registry.RegistryEntry;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a model on the shop's data and register it as a candidate.",
        "Reads silver.orders + silver.order_items (and silver.clickstream when it exists); searches",
        "shoplake.models.training.* within its time budget; evaluates on the last",
        "shoplake.models.split.test-period beside the popularity baseline and the champion; saves the",
        "model under <warehouse>/_models/recommendations/v<N>."})
final class TrainCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ModelsSession s = ModelsSession.open(configOptions.load());
    RegistryEntry e = s.lifecycle().train(ShopInteractions.events(s.spark(), s.tables(), s.settings()),
        s.settings().search().grid());
    Printing.entry(spec.commandLine().getOut(), e);
    return 0;
  }
}
