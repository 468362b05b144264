package io.shoplake.models.cli;

import io.shoplake.cli.ConfigOptions;
import io.shoplake.models.evaluation.Split;
import io.shoplake.models.interactions.InteractionFiles;
import io.shoplake.models.training.ModelTraining;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Train and evaluate on a user-item-rating file; print the metrics.",
        "Same search, metrics and popularity baseline as 'train'. Nothing is registered.",
        "  movielens: MovieLens u.data (tab-separated user, item, rating, unix time; no header)",
        "  csv: a header with user, item, rating and optionally timestamp (unix seconds)",
        "  --split time: the latest --test-fraction of the events is held out;",
        "  --split random-per-user: that fraction of each user's items (seeded) — the protocol of",
        "  published MovieLens results."})
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--interactions", required = true, paramLabel = "FILE", description = "The file to read.")
  String file;

  @Option(names = "--format", defaultValue = "movielens", description = "movielens or csv (default: ${DEFAULT-VALUE}).")
  InteractionFiles.Format format;

  @Option(names = "--split", defaultValue = "time", description = "time or random-per-user (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--test-fraction", defaultValue = "0.25", description = "Share held out (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Mixin ConfigOptions configOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--test-fraction must be between 0 and 1");
    }
    ModelsSession s = ModelsSession.openScratch(configOptions.load());
    long seed = s.settings().search().seed();
    // A rating file has no event types or recency to decay: a rating is its weight.
    Split.Rule rule;
    Split.Rule validation;
    switch (split) {
      case "time" -> {
        rule = Split.byTimeFraction(testFraction, 0);
        validation = Split.byTimeFraction(testFraction, 0);
      }
      case "random-per-user" -> {
        rule = Split.randomPerUser(testFraction, seed, 0);
        validation = Split.randomPerUser(testFraction, seed + 1, 0);
      }
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "--split must be time or random-per-user, got '" + split + "'");
    }
    var events = InteractionFiles.read(s.spark(), file, format);
    ModelTraining.Outcome o = ModelTraining.run(events, rule, validation, s.settings().search().grid(), s.settings());
    var out = spec.commandLine().getOut();
    out.printf("%s, %s split (%s): %d training interactions; best %s of %d tried (search %d ms, fit %d ms)%n",
        file, split, o.split().description(), o.trainInteractions(), o.params(), o.search().tried(), o.search().millis(),
        o.fitMillis());
    Printing.metrics(out, o.metrics(), o.baseline());
    return 0;
  }
}
