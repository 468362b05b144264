package io.shoplake.cdc;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.CdcColumns;
import io.shoplake.quality.Expectations;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What silver accepts of a bronze CDC batch, in one place: the silver apply and any job that
 * derives from the same bronze table beside it (gold availability) must accept, refuse and
 * order changes alike, or they drift apart.
 */
public final class AcceptedChanges {
  private AcceptedChanges() {}

  /**
   * Decoded changes with the table's expectations evaluated (deletes are not checked: a row
   * that breaks a rule must still be deletable). Rows silver refuses carry {@code error_class}.
   */
  public static Dataset<Row> checked(Dataset<Row> bronze, CdcTableSpec spec) {
    return spec.expectations().evaluate(CdcDecoder.decode(bronze, spec),
        col(CdcColumns.OP).notEqual(DebeziumEnvelope.OP_DELETE));
  }

  /**
   * The newest change per key among those silver applies, as row images ({@link
   * CdcApply#asImages}). A change that breaks a fail expectation is left out: silver stops on it
   * rather than apply it.
   */
  public static Dataset<Row> newestImages(Dataset<Row> bronze, CdcTableSpec spec, Pseudonymizer pseudonymizer) {
    Dataset<Row> applicable = CdcDecoder.valid(checked(bronze, spec)).filter(col(Expectations.FAILURE).isNull());
    return CdcApply.asImages(CdcApply.latestPerKey(applicable, spec), spec, pseudonymizer);
  }
}
