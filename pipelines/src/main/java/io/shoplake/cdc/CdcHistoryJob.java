package io.shoplake.cdc;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Keeps {@code silver.<table>_history} (SCD type 2) for tables with {@code history.track} in
 * config, from the same bronze changes as {@code silver.<table>}, in a query of its own so the
 * current-state path does not wait for history.
 *
 * <p>Reads: {@code bronze.shop_<table>}. Writes: {@code silver.<table>_history} (MERGE on key
 * and version start LSN). Changes the apply job quarantines are skipped here too (it records
 * them). Columns the source adds later are not historised until declared in config.
 * Run: {@code shoplake run silver.<table>_history}.
 */
public final class CdcHistoryJob implements Job {
  private final CdcTableSpec spec;

  public CdcHistoryJob(CdcTableSpec spec) {
    if (!spec.keepsHistory()) throw new IllegalArgumentException(spec.table() + " has no history.track columns");
    this.spec = spec;
  }

  @Override
  public String name() {
    return spec.historyTable().toString();
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.bronzeFor(topics.cdc(spec.table())))
        .writes(output());
  }

  public TableDefinition output() {
    return TableDefinition.of(spec.historyTable(), CdcHistory.schema(spec));
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Pseudonymizer pseudonymizer = Pseudonymizer.forTable(spec, ctx.services()::piiKey);
    Dataset<Row> changes = ctx.readDeltaStream(Tables.bronzeFor(tables.topics().cdc(spec.table())));
    return ctx.startForEachBatch(changes, name(),
        (batch, batchId) -> applyBatch(ctx.spark(), tables, pseudonymizer, batch));
  }

  public void applyBatch(SparkSession spark, Tables tables, Pseudonymizer pseudonymizer, Dataset<Row> batch) {
    Dataset<Row> decoded = spec.expectations()
        .evaluate(CdcDecoder.decode(batch, spec), col(CdcColumns.OP).notEqual(DebeziumEnvelope.OP_DELETE));
    Dataset<Row> changes = CdcApply.asImages(CdcDecoder.valid(decoded), spec, pseudonymizer).persist();
    try {
      if (!changes.isEmpty()) CdcHistory.apply(TableAccess.of(spark, tables), changes, spec);
    } finally {
      changes.unpersist();
    }
  }
}
