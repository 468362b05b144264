package io.shoplake.cdc;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.ParallelWrites;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.ErrorClass;
import io.shoplake.quality.Expectations;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code silver.<table>} equal to the source table's current state, from its CDC
 * topic's bronze table, and for tables with {@code history.track} columns their SCD type 2
 * history beside it ({@link CdcHistory}) from the same batch. One instance per entry of
 * {@code shoplake.cdc.tables}.
 *
 * <p>Reads: {@code bronze.shop_<table>} (Delta stream). Writes: {@code silver.<table>} (MERGE,
 * change feed on), {@code silver.<table>_history} (MERGE on key and version start LSN), {@code
 * quality.quarantine} and {@code quality.pipeline_events}. Fields the source gained are added
 * to silver as nullable columns on the fly. Trigger: the configured one. Run: {@code shoplake
 * run silver.<table>}.
 */
public final class CdcApplyJob implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(CdcApplyJob.class);
  private final CdcTableSpec configured;
  private final SilverSchema silverSchema;
  private long lastPurgeMillis;

  public CdcApplyJob(CdcTableSpec spec) {
    this.configured = spec;
    this.silverSchema = new SilverSchema(spec);
  }

  @Override
  public String name() {
    return configured.silverTable().toString();
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.CONTINUOUS).reads(Tables.bronzeFor(topics.cdc(configured.table())))
        .writes(outputs()).writes(Quarantine.TABLE, PipelineEvents.TABLE);
  }

  public TableDefinition output() {
    TableDefinition table = TableDefinition.withChangeFeed(configured.silverTable(), configured.silverSchema());
    return configured.erasure().map(table::erasedBy).orElse(table);
  }

  /** The current state, and its history when the table keeps one. */
  public List<TableDefinition> outputs() {
    return configured.keepsHistory() ? List.of(output(), CdcHistory.table(configured)) : List.of(output());
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    Pseudonymizer pseudonymizer = Pseudonymizer.forTable(configured, ctx.services()::piiKey);
    TableId bronze = Tables.bronzeFor(tables.topics().cdc(configured.table()));
    if (configured.keepsHistory()) {
      HistoryBackfill.ifBehind(ctx.access(), tables, configured, pseudonymizer, bronze, tables.checkpoint(name(), "main"));
    }
    Dataset<Row> changes = ctx.readDeltaStream(bronze);
    return ctx.startAppendingForEachBatch(changes, name(),
        List.of(Quarantine.appendedBy(tables, name()), PipelineEvents.appendedBy(tables, name())),
        (batch, batchId) -> applyBatch(ctx.spark(), tables, pseudonymizer, batch, batchId));
  }

  public void applyBatch(SparkSession spark, Tables tables, Pseudonymizer pseudonymizer, Dataset<Row> batch, long batchId) {
    long started = System.currentTimeMillis();
    Timestamp appliedAt = new Timestamp(started);
    TableAccess access = TableAccess.of(spark, tables);
    CdcTableSpec spec = silverSchema.current(access);
    NewestPass pass = NewestPass.run(batch, spec, name() + " batch " + batchId + " at " + started);
    if (!pass.counts().newColumns().isEmpty()) {
      pass.latest().unpersist();
      spec = silverSchema.add(access, pass.counts().newColumns());
      pass = NewestPass.run(batch, spec, name() + " batch " + batchId + " at " + started + " with new columns");
    }
    BatchCounts counts = pass.counts();
    Dataset<Row> latest = pass.latest();
    Dataset<Row> invalid = null;
    Dataset<Row> inBatch = null;
    try {
      if (counts.failures() > 0) failOnBrokenExpectation(decode(batch, spec), batchId);
      long applied = applyWithHistory(access, batch, latest, pass.keys(), spec, pseudonymizer, appliedAt);
      CdcApply.NotApplied notApplied = applied == pass.keys() ? CdcApply.NotApplied.NONE
          : CdcApply.classifyNotApplied(access, latest, spec, appliedAt);
      Dataset<Row> rewound = null;
      if (notApplied.rewound() > 0) rewound = SourceRewinds.againstSilver(latest, access.read(spec.silverTable()), spec);
      long rewoundInBatch = 0;
      if (pass.rewoundInBatch() > 0) {
        inBatch = SourceRewinds.withinBatch(CdcDecoder.valid(decode(batch, spec)), spec).persist();
        rewoundInBatch = inBatch.count();
        rewound = rewound == null ? inBatch : rewound.unionByName(inBatch);
      }
      long quarantined = counts.quarantined() + notApplied.rewound() + rewoundInBatch;
      Map<String, Long> quarantinedByRule = Map.of();
      if (quarantined > 0) {
        // Decoded again, for the few rows that need their raw record: rarer than a batch's every row paying for a cache.
        Dataset<Row> decoded = decode(batch, spec);
        invalid = CdcDecoder.invalid(decoded);
        if (rewound != null) invalid = invalid.unionByName(SourceRewinds.records(decoded, rewound));
        invalid = invalid.persist();
        Quarantine.append(tables, invalid, name(), spec.silverTable(), batchId);
        quarantinedByRule = countBy(invalid.select(coalesce(col(Expectations.RULE), col("error_class"))));
      }
      if (rewound != null) {
        LOG.error("{}: {} change(s) in batch {} carry an LSN below the one already taken for their row but were"
            + " committed later: the source database went back; they are quarantined as {}, the table needs a resync",
            name(), notApplied.rewound() + rewoundInBatch, batchId, ErrorClass.SOURCE_REWOUND);
      }
      long inBatchDuplicates = counts.valid() - pass.distinctChanges();
      long finished = System.currentTimeMillis();
      PipelineEvents.append(spark, tables, new PipelineEvents.BatchReport(name(), batchId, appliedAt, finished - started,
          counts.rowsIn(), counts.valid() - inBatchDuplicates - notApplied.stale() - notApplied.duplicate()
              - notApplied.rewound() - rewoundInBatch,
          notApplied.stale(), inBatchDuplicates + notApplied.duplicate(), quarantined, counts.kafkaTombstones(),
          quarantinedByRule, counts.warned(), counts.newestSourceTs() == null ? null : finished - counts.newestSourceTs().getTime()));
      purgeTombstonesNowAndThen(access, spec);
    } finally {
      latest.unpersist();
      if (invalid != null) invalid.unpersist();
      if (inBatch != null) inBatch.unpersist();
    }
  }

  /**
   * MERGEs the newest change per key into silver and, beside it, every change into the history:
   * two tables, so their commits overlap. Returns how many keys silver took.
   */
  private long applyWithHistory(TableAccess access, Dataset<Row> batch, Dataset<Row> latest, long keys, CdcTableSpec spec,
      Pseudonymizer pseudonymizer, Timestamp appliedAt) {
    AtomicLong applied = new AtomicLong();
    List<Callable<Void>> writes = new ArrayList<>();
    writes.add(() -> {
      if (keys > 0) applied.set(CdcApply.merge(access, CdcApply.asSilverRows(latest, spec, pseudonymizer, appliedAt), spec));
      return null;
    });
    if (configured.keepsHistory() && keys > 0) {
      // The configured columns: a column the source gained is historised once declared in config.
      writes.add(() -> {
        CdcHistory.applyBronze(access, batch, configured, pseudonymizer);
        return null;
      });
    }
    try {
      ParallelWrites.runAll(writes);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(name() + ": writing silver and its history failed", e);
    }
    return applied.get();
  }

  private static Dataset<Row> decode(Dataset<Row> batch, CdcTableSpec spec) {
    return AcceptedChanges.checked(batch, spec);
  }

  /** A fail expectation stops the job before anything of the batch is written. */
  private void failOnBrokenExpectation(Dataset<Row> decoded, long batchId) {
    List<Row> broken = decoded.filter(col(Expectations.FAILURE).isNotNull())
        .select(col(Expectations.FAILURE), col("topic"), col("partition"), col("offset")).limit(1).collectAsList();
    if (!broken.isEmpty()) {
      Row r = broken.get(0);
      String rule = r.getString(0);
      String condition = configured.expectations().rules().stream().filter(e -> e.name().equals(rule))
          .map(Expectations.Expectation::rule).findFirst().orElse("?");
      throw new IllegalStateException(name() + ": expectation " + rule + " (" + condition + ") failed for "
          + r.getString(1) + "-" + r.getInt(2) + "@" + r.getLong(3) + " in batch " + batchId
          + "; its action is 'fail', so the job stops until the data or the rule is fixed");
    }
  }

  private static Map<String, Long> countBy(Dataset<Row> oneColumn) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r : oneColumn.groupBy(oneColumn.columns()[0]).count().collectAsList()) counts.put(r.getString(0), r.getLong(1));
    return counts;
  }

  private void purgeTombstonesNowAndThen(TableAccess access, CdcTableSpec spec) {
    long now = System.currentTimeMillis();
    // A DELETE scans the table: once per hour (or per horizon, if shorter) is plenty.
    long every = Math.min(3_600_000L, Math.max(1L, spec.tombstoneHorizon().toMillis()));
    if (now - lastPurgeMillis < every) return;
    lastPurgeMillis = now;
    CdcApply.purgeTombstones(access, spec.silverTable(), spec.tombstoneHorizon());
    LOG.debug("{}: purged tombstones older than {}", name(), spec.tombstoneHorizon());
  }

  /**
   * The batch's newest change per key, cached, and what the same pass counted on the way
   * ({@link BatchCounts}, observed rather than aggregated apart). One pass over the decoded batch
   * instead of caching all of it and reading it twice: a cache of every decoded row cost more
   * than decoding again on the rare paths that need the invalid rows.
   */
  record NewestPass(Dataset<Row> latest, BatchCounts counts, long keys, long distinctChanges, long rewoundInBatch) {
    static NewestPass run(Dataset<Row> batch, CdcTableSpec spec, String observationName) {
      Observation observation = new Observation(observationName);
      Dataset<Row> observed = BatchCounts.observe(decode(batch, spec), observation, spec.expectations());
      Dataset<Row> latest = CdcApply.latestPerKey(CdcDecoder.valid(observed), spec).persist();
      // The first action on the cache runs the decode, and with it the observation.
      Row r = latest.agg(count(lit(1)), sum(col(CdcApply.DISTINCT_CHANGES)),
          sum(when(col(CdcApply.REWOUND_IN_BATCH), 1).otherwise(0))).first();
      BatchCounts counts = BatchCounts.of(observation, spec.expectations());
      if (counts.valid() < r.getLong(0)) {
        latest.unpersist();
        throw new IllegalStateException(observationName + ": Spark counted " + counts.valid() + " valid changes but the pass kept "
            + r.getLong(0) + " keys; refusing to log a batch whose counts are wrong");
      }
      return new NewestPass(latest, counts, r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2));
    }
  }

  /**
   * What the pass over the decoded batch counts. Distinct counts are left to {@link NewestPass}:
   * the shuffle by key that picks the latest change counts them too.
   */
  record BatchCounts(long rowsIn, long kafkaTombstones, long valid, Timestamp newestSourceTs,
      List<CdcTableSpec.Column> newColumns,
      long failures, Map<String, Long> warned) {

    long quarantined() {
      return rowsIn - kafkaTombstones - valid;
    }

    static Dataset<Row> observe(Dataset<Row> decoded, Observation observation, Expectations expectations) {
      Column valid = col("error_class").isNull();
      List<Column> metrics = new ArrayList<>(List.of(
          count(lit(1)).as("rows_in"),
          sum(when(col("error_class").equalTo(CdcDecoder.KAFKA_TOMBSTONE), 1).otherwise(0)).as("kafka_tombstones"),
          sum(when(valid, 1).otherwise(0)).as("valid"),
          max(when(valid, col(CdcColumns.SOURCE_TS))).as("newest_source_ts"),
          // Only rows that name new columns reach the set: hashing an empty array per row cost more.
          array_distinct(flatten(collect_set(when(valid.and(size(col(CdcDecoder.NEW_COLUMNS)).gt(0)),
              col(CdcDecoder.NEW_COLUMNS))))).as("new_columns"),
          sum(when(col(Expectations.FAILURE).isNotNull(), 1).otherwise(0)).as("failures")));
      for (String rule : warnRules(expectations)) {
        metrics.add(sum(when(array_contains(col(Expectations.WARNINGS), rule), 1).otherwise(0)).as(WARNED_PREFIX + rule));
      }
      return decoded.observe(observation, metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new));
    }

    static BatchCounts of(Observation observation, Expectations expectations) {
      Row r = observed(observation);
      // Spark reports an empty row when the optimizer proved the batch empty and never ran the pass.
      if (r.schema() == null) return new BatchCounts(0, 0, 0, null, List.of(), 0, Map.of());
      Map<String, Long> warned = new LinkedHashMap<>();
      for (String rule : warnRules(expectations)) {
        long n = orZero(r, WARNED_PREFIX + rule);
        if (n > 0) warned.put(rule, n);
      }
      return new BatchCounts(r.getLong(r.fieldIndex("rows_in")), orZero(r, "kafka_tombstones"), orZero(r, "valid"),
          r.getAs("newest_source_ts"), newColumns(r.getList(r.fieldIndex("new_columns"))), orZero(r, "failures"), warned);
    }

    private static List<CdcTableSpec.Column> newColumns(List<Row> observed) {
      return observed.stream().map(c -> new CdcTableSpec.Column(c.getString(0), DataType.fromDDL(c.getString(1)))).toList();
    }

    private static final String WARNED_PREFIX = "warned ";

    /** Bounded: Spark hands observed metrics over through a listener, and a batch must never wait forever. */
    private static Row observed(Observation observation) {
      try {
        return scala.concurrent.Await.result(observation.future(), scala.concurrent.duration.Duration.create(5, "min"));
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the counts of " + observation.name() + " did not arrive from Spark within 5 minutes", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the counts of " + observation.name(), e);
      }
    }

    /** A sum over no rows is null. */
    private static long orZero(Row r, String field) {
      int i = r.fieldIndex(field);
      return r.isNullAt(i) ? 0 : r.getLong(i);
    }

    private static List<String> warnRules(Expectations expectations) {
      return expectations.rules().stream().filter(e -> e.action() == Expectations.Action.WARN)
          .map(Expectations.Expectation::name).toList();
    }
  }
}
