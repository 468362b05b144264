package io.shoplake.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Order-insensitive comparison of a DataFrame's selected columns with expected rows. */
public final class RowAssert {
  private RowAssert() {}

  public static void assertRows(Dataset<Row> actual, List<String> columns, List<List<Object>> expected) {
    assertThat(values(actual.selectExpr(columns.toArray(String[]::new))))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  public static List<List<Object>> values(Dataset<Row> df) {
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) row.add(r.get(i));
      rows.add(row);
    }
    return rows;
  }

  public static List<Object> row(Object... values) {
    return java.util.Arrays.asList(values);
  }
}
