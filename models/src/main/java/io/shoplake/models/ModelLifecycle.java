package io.shoplake.models;

import io.shoplake.core.Tables;
import io.shoplake.models.evaluation.MetricValues;
import io.shoplake.models.evaluation.Split;
import io.shoplake.models.registry.ModelRegistry;
import io.shoplake.models.registry.PromotionGate;
import io.shoplake.models.registry.RegistryEntry;
import io.shoplake.models.training.AlsParams;
import io.shoplake.models.training.AlsTrainer;
import io.shoplake.models.training.ModelTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Train → register → promote or refuse → roll back: what the ML team runs, in one place. */
public final class ModelLifecycle {
  private final SparkSession spark;
  private final Tables tables;
  private final ModelsSettings settings;
  private final ModelRegistry registry;

  public ModelLifecycle(SparkSession spark, Tables tables, ModelsSettings settings) {
    this.spark = spark;
    this.tables = tables;
    this.settings = settings;
    this.registry = new ModelRegistry(spark, tables);
  }

  public ModelRegistry registry() {
    return registry;
  }

  /**
   * Trains on {@code events} with a time split, evaluates beside the baseline and the current
   * champion (on the same test period), saves the model under its version and registers it as a
   * candidate.
   */
  public RegistryEntry train(Dataset<Row> events, List<AlsParams> grid) {
    Split.Rule rule = Split.byTime(settings.testPeriodMillis(), settings.halfLifeMillis());
    Split.Rule validation = Split.byTime(settings.search().validationPeriodMillis(), settings.halfLifeMillis());
    ModelTraining.Outcome outcome = ModelTraining.run(events, rule, validation, grid, settings);
    Optional<RegistryEntry> champion = registry.champion();
    MetricValues championMetrics = champion
        .map(c -> outcome.evaluator().evaluate(AlsTrainer.candidates(ALSModel.load(c.modelPath()))))
        .orElse(null);
    long version = registry.nextVersion();
    String path = ModelTables.modelPath(tables, version);
    try {
      outcome.model().write().overwrite().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save model v" + version + " to " + path, e);
    }
    Instant now = Instant.now();
    RegistryEntry entry = new RegistryEntry(version, RegistryEntry.CANDIDATE, "trained", path, "als-implicit",
        outcome.params().asMap(), outcome.split().windowStart(), outcome.split().windowEnd(),
        outcome.split().description(), outcome.trainInteractions(), outcome.metrics().users(), outcome.fitMillis(),
        outcome.search().millis(), outcome.search().tried(), outcome.metrics().asMap(), outcome.baseline().asMap(),
        champion.map(RegistryEntry::version).orElse(null), championMetrics == null ? null : championMetrics.asMap(),
        now, null, now);
    registry.add(entry);
    return entry;
  }

  /** Applies the gate: the version becomes champion, or is marked refused with the reason. */
  public PromotionGate.Decision promote(long version) {
    RegistryEntry candidate = registry.get(version)
        .orElseThrow(() -> new IllegalArgumentException("no model v" + version + " in " + ModelTables.MODEL_REGISTRY));
    Optional<RegistryEntry> champion = registry.champion();
    PromotionGate.Decision decision =
        PromotionGate.decide(candidate, champion, settings.gateMetric(), settings.promotionMargin());
    if (decision.promote()) {
      registry.promote(version, champion, decision.reason());
    } else if (candidate.status().equals(RegistryEntry.CANDIDATE)) {
      registry.refuse(version, decision.reason());
    }
    return decision;
  }

  /** The previous champion serves again; the current one is marked rolled back. Returns the restored entry. */
  public RegistryEntry rollback() {
    RegistryEntry current = registry.champion()
        .orElseThrow(() -> new IllegalStateException("no champion to roll back"));
    RegistryEntry previous = registry.previousChampion()
        .orElseThrow(() -> new IllegalStateException("v" + current.version() + " is the first champion: nothing to roll back to"));
    registry.rollback(current.version(), previous.version());
    return registry.get(previous.version()).orElseThrow();
  }

  /** The champion's model, for scoring. */
  public Champion champion() {
    RegistryEntry entry = registry.champion().orElseThrow(() -> new IllegalStateException(
        "no champion in " + ModelTables.MODEL_REGISTRY + ": train a model and promote it first"));
    return new Champion(entry, ALSModel.load(entry.modelPath()));
  }

  /** A registry entry with its loaded model. */
  public record Champion(RegistryEntry entry, ALSModel model) {}
}
