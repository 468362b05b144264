package io.shoplake.models.registry;

import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code gold.model_registry}: a trained model version, what it was trained and
 * evaluated on, how it scored beside the baseline (and the champion of the day), and its status.
 */
public record RegistryEntry(
    long version,
    String status,
    String statusReason,
    String modelPath,
    String algorithm,
    Map<String, String> params,
    Instant windowStart,
    Instant windowEnd,
    String split,
    long trainInteractions,
    long testUsers,
    long trainingMillis,
    long searchMillis,
    int candidatesTried,
    Map<String, Double> metrics,
    Map<String, Double> baselineMetrics,
    Long comparedChampion,
    Map<String, Double> championMetrics,
    Instant createdAt,
    Instant promotedAt,
    Instant statusChangedAt) {

  public static final String CANDIDATE = "candidate";
  public static final String CHAMPION = "champion";
  public static final String REFUSED = "refused";
  /** A former champion replaced by a promotion; rollback returns to the latest one. */
  public static final String RETIRED = "retired";
  public static final String ROLLED_BACK = "rolled_back";
}
