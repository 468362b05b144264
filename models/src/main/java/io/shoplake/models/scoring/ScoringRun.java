package io.shoplake.models.scoring;

import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.Erasure;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.models.ModelLifecycle;
import io.shoplake.models.ModelTables;
import io.shoplake.models.ModelsSettings;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores with the champion and replaces {@code gold.recommendations} and {@code gold.similar_items}
 * (one Delta commit each; earlier runs stay readable by time travel).
 *
 * <p>Reads: silver customers, products, orders, order_items (and clickstream once it exists),
 * gold.product_availability, gold.model_registry. Writes: gold.recommendations, gold.similar_items.
 * Run: {@code shoplake models recommend [--publish]}.
 */
public final class ScoringRun {
  /** What one run wrote: the model behind it and the Delta versions of the two tables. */
  public record Result(long modelVersion, long recommendations, long recommendationsTableVersion,
      long similarItems, long similarTableVersion) {}

  private ScoringRun() {}

  public static List<TableDefinition> outputs() {
    return List.of(TableDefinition.of(ModelTables.RECOMMENDATIONS, Recommendations.SCHEMA).erasedBy(Erasure.deleteRows()),
        TableDefinition.of(ModelTables.SIMILAR_ITEMS, SimilarItems.SCHEMA));
  }

  public static Result run(SparkSession spark, Tables tables, ModelsSettings settings, ScoringInputs inputs) {
    ModelLifecycle.Champion champion = new ModelLifecycle(spark, tables, settings).champion();
    long version = champion.entry().version();
    TableBootstrap.ensure(spark, tables, outputs());
    long recVersion = overwrite(spark, tables, ModelTables.RECOMMENDATIONS,
        Recommendations.score(champion.model(), version, inputs, settings.topN()));
    long simVersion = overwrite(spark, tables, ModelTables.SIMILAR_ITEMS,
        SimilarItems.score(champion.model(), version, inputs, settings.similarN()));
    return new Result(version, count(spark, tables, ModelTables.RECOMMENDATIONS), recVersion,
        count(spark, tables, ModelTables.SIMILAR_ITEMS), simVersion);
  }

  private static long overwrite(SparkSession spark, Tables tables, io.shoplake.core.TableId table, Dataset<Row> rows) {
    TableAccess access = TableAccess.of(spark, tables);
    access.overwrite(table, rows, null);
    return access.history(table, 1).first().<Long>getAs("version");
  }

  private static long count(SparkSession spark, Tables tables, io.shoplake.core.TableId table) {
    return TableAccess.of(spark, tables).read(table).count();
  }
}
