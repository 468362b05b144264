package io.shoplake.quality;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/** The first failing check names a row's error, and each check runs at most once per row. */
class RowChecksTest {
  private final SparkSession spark = SharedSpark.get();

  private Dataset<Row> numbers() {
    // Rows Spark cannot fold into constants, so the checks run in the plan as they would on a stream.
    return spark.range(1, 7).select(col("id").as("n"), col("id").mod(3).equalTo(0).as("flag"));
  }

  @Test
  void theFirstCheckThatDoesNotHoldNamesTheErrorAndAnUndecidedCheckDoesNotHold() {
    RowChecks checks = new RowChecks()
        .require(col("n").notEqual(2), "TWO", "two is refused")
        .require(col("n").lt(5), "BIG", concat(lit("too big: "), col("n").cast("string")))
        .require(col("n").notEqual(4).and(col("n").notEqual(5)), "FOUR_OR_FIVE", "four or five")
        .require(col("flag").equalTo(false).or(lit(null).cast("boolean")), "FLAGGED", "flag set");

    Dataset<Row> checked = checks.evaluated(numbers())
        .select(col("n"), checks.errorClass().as("error_class"), checks.errorMessage().as("error_message"));

    assertRows(checked, List.of("n", "error_class", "error_message"), List.of(
        row(1L, null, null),
        row(2L, "TWO", "two is refused"),
        row(3L, "FLAGGED", "flag set"),
        row(4L, "FOUR_OR_FIVE", "four or five"),
        row(5L, "BIG", "too big: 5"),
        row(6L, "BIG", "too big: 6")));
  }

  @Test
  void eachCheckRunsOncePerRowThoughTheClassAndTheMessageBothReadIt() {
    LongAccumulator runs = spark.sparkContext().longAccumulator("row-checks-runs");
    UserDefinedFunction counted = udf((UDF1<Long, Boolean>) n -> {
      runs.add(1);
      return n != 4;
    }, DataTypes.BooleanType);
    RowChecks checks = new RowChecks()
        .require(col("n").notEqual(2), "TWO", "two is refused")
        .require(counted.apply(col("n")), "FOUR", concat(lit("four: "), col("n").cast("string")));

    List<String> errors = checks.evaluated(numbers())
        .select(concat(col("n").cast("string"), lit("="), checks.errorClass(), lit("/"), checks.errorMessage()))
        .as(Encoders.STRING()).collectAsList();

    assertThat(errors).containsExactlyInAnyOrder(null, "2=TWO/two is refused", null, "4=FOUR/four: 4", null, null);
    // Five rows passed the first check; the second ran once for each of them, not twice.
    assertThat(runs.value()).isEqualTo(5);
  }
}
