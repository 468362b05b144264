package io.shoplake.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Ordered checks on a row, read as one error class and one message: the first check that does
 * not hold names the row's error; both are null when every check holds. A check that cannot be
 * decided (its condition is null) does not hold, so a missing field never passes as valid.
 */
public final class RowChecks {
  private record Check(Column fails, String errorClass, Column message) {}

  private final List<Check> checks = new ArrayList<>();

  public RowChecks require(Column holds, String errorClass, Column message) {
    checks.add(new Check(not(coalesce(holds, lit(false))), errorClass, message));
    return this;
  }

  public RowChecks require(Column holds, String errorClass, String message) {
    return require(holds, errorClass, lit(message));
  }

  public Column errorClass() {
    Column result = lit(null).cast("string");
    for (int i = checks.size() - 1; i >= 0; i--) {
      result = when(checks.get(i).fails(), lit(checks.get(i).errorClass())).otherwise(result);
    }
    return result;
  }

  public Column errorMessage() {
    Column result = lit(null).cast("string");
    for (int i = checks.size() - 1; i >= 0; i--) {
      result = when(checks.get(i).fails(), checks.get(i).message()).otherwise(result);
    }
    return result;
  }
}
