package io.shoplake.cli;

import io.shoplake.Pipeline;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.privacy.CustomerErasure;
import io.shoplake.privacy.PrivacySettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "privacy", mixinStandardHelpOptions = true, subcommands = {PrivacyCommand.Forget.class},
    description = "A customer's personal data: the right to be forgotten.")
final class PrivacyCommand implements Runnable {
  /** Exit code when jobs had not read all their input, so the erasure did not start or finish. */
  static final int READERS_BEHIND = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: forget");
  }

  @Command(name = "forget", mixinStandardHelpOptions = true,
      description = {"Erases one customer everywhere Shoplake keeps them: bronze records of every topic (the",
          "customer's own deleted, others naming them cleared of the id), the quarantine, silver and its",
          "histories, gold, the models' tables and trained models, Redis keys and the compacted serving",
          "topics (tombstones); records it in quality.erasures, by a keyed reference, never the id.",
          "Jobs may keep running: it waits (shoplake.privacy.readers-timeout) for those reading what it",
          "rewrites. Earlier table versions keep the data until `shoplake maintain vacuum --erasure`.",
          "Exit 4 when readers stayed behind (then nothing, or not all, was erased: run it again)."})
  static final class Forget implements Callable<Integer> {
    @Option(names = "--customer", required = true, paramLabel = "ID", description = "The shop's customer_id.")
    long customerId;

    @Mixin ConfigOptions configOptions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ShoplakeConfig config = configOptions.load();
      PrintWriter out = spec.commandLine().getOut();
      CustomerErasure erasure = new CustomerErasure(SparkSessionFactory.create(config), Tables.from(config),
          PrivacySettings.from(config), Pipeline.graph(config), Pipeline.allTables(config),
          ErasureTargetProvider.all(config));
      CustomerErasure.Result result = erasure.forget(customerId, out);
      if (!result.complete()) return READERS_BEHIND;
      out.printf("erased: %s in quality.erasures; old versions keep it until `shoplake maintain vacuum --erasure`%n",
          result.erasureId());
      out.flush();
      return 0;
    }
  }
}
