package io.shoplake.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ErasureTarget;
import io.shoplake.core.Tables;
import io.shoplake.models.ModelTables;
import io.shoplake.models.TestShop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trained model scores a customer from their user factors: an erasure takes their row out of every version kept. */
class ModelFactorsErasureTest {
  @TempDir Path warehouse;

  @Test
  void theCustomersFactorsLeaveEveryModelVersionAndTheModelsStillLoad() throws Exception {
    SparkSession spark = TestShop.spark();
    Tables tables = Tables.from(TestShop.config(warehouse.toUri().toString(), new io.shoplake.models.training.AlsParams(2, 0.1, 1.0, 2)));
    List<Row> ratings = new ArrayList<>();
    for (int user = 1; user <= 3; user++) for (int item = 1; item <= 4; item++) ratings.add(RowFactory.create(user, item, 1f + user * item % 3));
    Dataset<Row> interactions = spark.createDataFrame(ratings, new StructType().add("user", DataTypes.IntegerType)
        .add("item", DataTypes.IntegerType).add("rating", DataTypes.FloatType));
    ALSModel model = new ALS().setRank(2).setMaxIter(2).setImplicitPrefs(true).setSeed(1).fit(interactions);
    for (long version = 1; version <= 2; version++) model.write().overwrite().save(ModelTables.modelPath(tables, version));

    long erased = new ModelFactorsErasure().erase(new ErasureTarget.Context(spark, tables, 2));

    assertThat(erased).as("rows erased over both versions").isEqualTo(2);
    for (long version = 1; version <= 2; version++) {
      ALSModel kept = ALSModel.load(ModelTables.modelPath(tables, version));
      assertThat(kept.userFactors().select("id").as(Encoders.INT()).collectAsList()).containsExactlyInAnyOrder(1, 3);
      assertThat(kept.itemFactors().count()).isEqualTo(4);
    }
    assertThat(new ModelFactorsErasure().erase(new ErasureTarget.Context(spark, tables, 2))).as("a repeat").isZero();
  }
}
