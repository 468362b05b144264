package io.shoplake.models.registry;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.Sql;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.models.ModelTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.model_registry}: every trained model version and its status. Status changes are
 * single Delta commits (a promotion retires the old champion in the same update), so there is
 * never a moment with two champions or none; the table's history keeps every change.
 * One trainer at a time is assumed: two concurrent trainings could pick the same version number.
 */
public final class ModelRegistry {
  private static final org.apache.spark.sql.types.DataType METRICS =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType);
  public static final StructType SCHEMA = new StructType()
      .add("model_version", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, false)
      .add("status_reason", DataTypes.StringType, true)
      .add("model_path", DataTypes.StringType, false)
      .add("algorithm", DataTypes.StringType, false)
      .add("params", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
      .add("data_window_start", DataTypes.TimestampType, false)
      .add("data_window_end", DataTypes.TimestampType, false)
      .add("split", DataTypes.StringType, false)
      .add("train_interactions", DataTypes.LongType, false)
      .add("test_users", DataTypes.LongType, false)
      .add("training_ms", DataTypes.LongType, false)
      .add("search_ms", DataTypes.LongType, false)
      .add("candidates_tried", DataTypes.IntegerType, false)
      .add("metrics", METRICS, false)
      .add("baseline_metrics", METRICS, false)
      .add("compared_champion_version", DataTypes.LongType, true)
      .add("champion_metrics", METRICS, true)
      .add("created_at", DataTypes.TimestampType, false)
      .add("promoted_at", DataTypes.TimestampType, true)
      .add("status_changed_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final TableAccess access;

  public ModelRegistry(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.access = TableAccess.of(spark, tables);
    TableBootstrap.ensure(spark, tables, List.of(TableDefinition.of(ModelTables.MODEL_REGISTRY, SCHEMA)));
  }

  public List<RegistryEntry> all() {
    return access.read(ModelTables.MODEL_REGISTRY).orderBy(col("model_version")).collectAsList().stream()
        .map(ModelRegistry::fromRow).toList();
  }

  public Optional<RegistryEntry> get(long version) {
    return all().stream().filter(e -> e.version() == version).findFirst();
  }

  public Optional<RegistryEntry> champion() {
    return all().stream().filter(e -> e.status().equals(RegistryEntry.CHAMPION)).findFirst();
  }

  /** The champion before the current one: the latest promoted model that was retired by a promotion. */
  public Optional<RegistryEntry> previousChampion() {
    return all().stream().filter(e -> e.status().equals(RegistryEntry.RETIRED) && e.promotedAt() != null)
        .max(Comparator.comparing(RegistryEntry::promotedAt));
  }

  public long nextVersion() {
    return all().stream().mapToLong(RegistryEntry::version).max().orElse(0) + 1;
  }

  public void add(RegistryEntry entry) {
    access.append(ModelTables.MODEL_REGISTRY, spark.createDataFrame(List.of(toRow(entry)), SCHEMA));
  }

  /** Makes {@code version} the champion and retires the current one, in one commit. */
  public void promote(long version, Optional<RegistryEntry> current, String reason) {
    String now = "current_timestamp()";
    long old = current.map(RegistryEntry::version).orElse(-1L);
    access.forChange(ModelTables.MODEL_REGISTRY).updateExpr("model_version IN (" + version + ", " + old + ")", Map.of(
        "status", "CASE WHEN model_version = " + version + " THEN 'champion' ELSE 'retired' END",
        "status_reason", "CASE WHEN model_version = " + version + " THEN " + Sql.literal(reason)
            + " ELSE 'replaced by v" + version + "' END",
        "promoted_at", "CASE WHEN model_version = " + version + " THEN " + now + " ELSE promoted_at END",
        "status_changed_at", now));
  }

  public void refuse(long version, String reason) {
    setStatus(version, RegistryEntry.REFUSED, reason);
  }

  /** The current champion is rolled back and {@code previous} serves again, in one commit. */
  public void rollback(long current, long previous) {
    String now = "current_timestamp()";
    access.forChange(ModelTables.MODEL_REGISTRY).updateExpr("model_version IN (" + current + ", " + previous + ")", Map.of(
        "status", "CASE WHEN model_version = " + previous + " THEN 'champion' ELSE 'rolled_back' END",
        "status_reason", "CASE WHEN model_version = " + previous + " THEN 'restored by rollback of v" + current
            + "' ELSE 'rolled back to v" + previous + "' END",
        "status_changed_at", now));
  }

  private void setStatus(long version, String status, String reason) {
    access.forChange(ModelTables.MODEL_REGISTRY).updateExpr("model_version = " + version, Map.of(
        "status", Sql.literal(status), "status_reason", Sql.literal(reason),
        "status_changed_at", "current_timestamp()"));
  }

  private static Row toRow(RegistryEntry e) {
    return RowFactory.create(e.version(), e.status(), e.statusReason(), e.modelPath(), e.algorithm(), e.params(),
        ts(e.windowStart()), ts(e.windowEnd()), e.split(), e.trainInteractions(), e.testUsers(), e.trainingMillis(),
        e.searchMillis(), e.candidatesTried(), e.metrics(), e.baselineMetrics(), e.comparedChampion(),
        e.championMetrics(), ts(e.createdAt()), ts(e.promotedAt()), ts(e.statusChangedAt()));
  }

  private static RegistryEntry fromRow(Row r) {
    return new RegistryEntry(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
        r.getJavaMap(5), instant(r, 6), instant(r, 7), r.getString(8), r.getLong(9), r.getLong(10), r.getLong(11),
        r.getLong(12), r.getInt(13), r.getJavaMap(14), r.getJavaMap(15), r.isNullAt(16) ? null : r.getLong(16),
        r.isNullAt(17) ? null : r.getJavaMap(17), instant(r, 18), instant(r, 19), instant(r, 20));
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(Row r, int i) {
    return r.isNullAt(i) ? null : r.getTimestamp(i).toInstant();
  }
}
