package io.shoplake.models.training;

import io.shoplake.models.evaluation.CandidateSource;
import io.shoplake.models.evaluation.Scored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** Implicit-feedback ALS on {@code user_id, item_id, confidence}. */
public final class AlsTrainer {
  private AlsTrainer() {}

  public static ALSModel fit(Dataset<Row> interactions, AlsParams params, long seed) {
    return new ALS()
        .setImplicitPrefs(true)
        .setUserCol("user_id")
        .setItemCol("item_id")
        .setRatingCol("confidence")
        .setRank(params.rank())
        .setRegParam(params.regParam())
        .setAlpha(params.alpha())
        .setMaxIter(params.maxIter())
        .setSeed(seed)
        // Unknown users or items get no score rather than NaN.
        .setColdStartStrategy("drop")
        .fit(interactions);
  }

  /** A trained model as a candidate source for evaluation. */
  public static CandidateSource candidates(ALSModel model) {
    return (users, n) -> {
      Dataset<Row> subset = model.userFactors().sparkSession()
          .createDataset(users, Encoders.INT()).toDF("user_id");
      Map<Integer, List<Scored>> out = new HashMap<>();
      for (Row r : model.recommendForUserSubset(subset, n).collectAsList()) {
        List<Scored> items = new ArrayList<>();
        for (Row rec : r.<Row>getList(1)) items.add(new Scored(rec.getInt(0), rec.getFloat(1)));
        out.put(r.getInt(0), items);
      }
      return out;
    };
  }
}
