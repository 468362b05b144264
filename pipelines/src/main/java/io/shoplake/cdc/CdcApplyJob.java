package io.shoplake.cdc;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.quality.Quarantine;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Keeps {@code silver.<table>} equal to the source table's current state, from its CDC
 * topic's bronze table. One instance per entry of {@code shoplake.cdc.tables}.
 *
 * <p>Reads: {@code bronze.shop_<table>} (Delta stream). Writes: {@code silver.<table>} (MERGE,
 * change feed on) and {@code quality.quarantine}. Trigger: the configured one.
 * Run: {@code shoplake run silver.<table>}.
 */
public final class CdcApplyJob implements Job {
  private final CdcTableSpec spec;

  public CdcApplyJob(CdcTableSpec spec) {
    this.spec = spec;
  }

  /** The key is read only by jobs whose table has personal columns. */
  private Pseudonymizer pseudonymizer(io.shoplake.core.ShoplakeConfig config) {
    return spec.pseudonymised().isEmpty() ? null : new Pseudonymizer(config.string("shoplake.pii.key"));
  }

  @Override
  public String name() {
    return spec.silverTable().toString();
  }

  public TableDefinition output() {
    return TableDefinition.withChangeFeed(spec.silverTable(), spec.silverSchema());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    String bronze = tables.path(Tables.bronzeFor(tables.topics().cdc(spec.table())));
    Pseudonymizer pseudonymizer = pseudonymizer(ctx.config());
    Dataset<Row> changes = ctx.spark().readStream().format("delta").load(bronze);
    return ctx.startForEachBatch(changes, name(),
        (batch, batchId) -> applyBatch(ctx.spark(), tables, pseudonymizer, batch, batchId));
  }

  void applyBatch(SparkSession spark, Tables tables, Pseudonymizer pseudonymizer, Dataset<Row> batch, long batchId) {
    // Tombstones only tell Kafka compaction to forget a key; the 'd' event before them carries the delete.
    Dataset<Row> decoded = CdcDecoder.decode(batch.filter(col("value").isNotNull()), spec).persist();
    try {
      Dataset<Row> silverRows = CdcApply.asSilverRows(
          CdcApply.latestPerKey(CdcDecoder.valid(decoded), spec), spec, pseudonymizer);
      CdcApply.merge(spark, tables.path(spec.silverTable()), silverRows, spec);
      Dataset<Row> invalid = CdcDecoder.invalid(decoded);
      if (!invalid.isEmpty()) {
        Quarantine.append(tables, Quarantine.records(invalid, name(), spec.silverTable(), batchId), name(), batchId);
      }
    } finally {
      decoded.unpersist();
    }
  }
}
