package io.shoplake.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Ordered checks on a row, read as one error class and one message: the first check that does
 * not hold names the row's error; both are null when every check holds. A check that cannot be
 * decided (its condition is null) does not hold, so a missing field never passes as valid.
 *
 * <p>{@link #evaluated} runs the checks once per row, into a column holding the number of the
 * first that fails; the error class and message read that column. Were each of them a {@code
 * CASE} over the checks themselves, every check would run twice per row (Spark shares no work
 * between the branches of two {@code CASE}s), and a check may parse or scan the whole record.
 */
public final class RowChecks {
  private static final String FAILED = "_failed_check";

  private record Check(Column fails, String errorClass, Column message) {}

  private final List<Check> checks = new ArrayList<>();

  public RowChecks require(Column holds, String errorClass, Column message) {
    checks.add(new Check(not(coalesce(holds, lit(false))), errorClass, message));
    return this;
  }

  public RowChecks require(Column holds, String errorClass, String message) {
    return require(holds, errorClass, lit(message));
  }

  /**
   * The rows with the number of their first failing check (null when all hold), which {@link
   * #errorClass} and {@link #errorMessage} read: select them from what this returns. A check runs
   * only when those before it held.
   */
  public Dataset<Row> evaluated(Dataset<Row> rows) {
    Column failed = lit(null).cast("int");
    for (int i = checks.size() - 1; i >= 0; i--) {
      failed = when(checks.get(i).fails(), lit(i)).otherwise(failed);
    }
    return rows.withColumn(FAILED, failed);
  }

  public Column errorClass() {
    Column result = lit(null).cast("string");
    for (int i = checks.size() - 1; i >= 0; i--) {
      result = when(col(FAILED).equalTo(i), lit(checks.get(i).errorClass())).otherwise(result);
    }
    return result;
  }

  public Column errorMessage() {
    Column result = lit(null).cast("string");
    for (int i = checks.size() - 1; i >= 0; i--) {
      result = when(col(FAILED).equalTo(i), checks.get(i).message()).otherwise(result);
    }
    return result;
  }
}
