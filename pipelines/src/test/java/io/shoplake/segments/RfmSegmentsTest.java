package io.shoplake.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RfmSegmentsTest {
  @Test
  void theRuleTableNamesEachCornerAsDocumented() {
    assertThat(RfmSegments.of(5, 5, 5)).isEqualTo("champions");
    assertThat(RfmSegments.of(4, 4, 3)).isEqualTo("loyal");
    assertThat(RfmSegments.of(3, 5, 1)).isEqualTo("loyal");
    assertThat(RfmSegments.of(5, 1, 5)).isEqualTo("new");
    assertThat(RfmSegments.of(3, 1, 1)).isEqualTo("potential_loyalist");
    assertThat(RfmSegments.of(5, 2, 2)).isEqualTo("potential_loyalist");
    assertThat(RfmSegments.of(1, 5, 1)).isEqualTo("cant_lose");
    assertThat(RfmSegments.of(1, 1, 5)).isEqualTo("cant_lose");
    assertThat(RfmSegments.of(2, 3, 1)).isEqualTo("at_risk");
    assertThat(RfmSegments.of(1, 3, 4)).isEqualTo("at_risk");
    assertThat(RfmSegments.of(2, 2, 5)).isEqualTo("hibernating");
    assertThat(RfmSegments.of(1, 2, 4)).isEqualTo("lost");
  }

  @Test
  void theSparkExpressionAgreesWithTheRuleTableOnEveryScoreCombination() {
    StructType schema = new StructType().add("r", DataTypes.IntegerType).add("f", DataTypes.IntegerType)
        .add("m", DataTypes.IntegerType);
    List<Row> all = new ArrayList<>();
    for (int r = 1; r <= 5; r++) for (int f = 1; f <= 5; f++) for (int m = 1; m <= 5; m++) all.add(RowFactory.create(r, f, m));
    List<Row> named = SharedSpark.get().createDataFrame(all, schema)
        .select(functions.col("r"), functions.col("f"), functions.col("m"),
            RfmSegments.of(functions.col("r"), functions.col("f"), functions.col("m")).as("segment"))
        .collectAsList();
    assertThat(named).hasSize(125);
    for (Row row : named) {
      assertThat(row.getString(3)).as("R%d F%d M%d", row.getInt(0), row.getInt(1), row.getInt(2))
          .isEqualTo(RfmSegments.of(row.getInt(0), row.getInt(1), row.getInt(2)));
    }
    assertThat(named.stream().map(r -> r.getString(3)).distinct().sorted().toList()).containsExactly(
        "at_risk", "cant_lose", "champions", "hibernating", "lost", "loyal", "new", "potential_loyalist");
  }
}
