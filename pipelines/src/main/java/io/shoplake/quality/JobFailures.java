package io.shoplake.quality;

import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.RunObserver;
import io.shoplake.core.SupervisedFailure;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each failure of a continuous run's job in {@code quality.job_failures}: when, why, how
 * many in a row, and what the run did about it (restart after {@code restart_after_ms}, or, null,
 * give up). Appended on a thread of its own, never on the failing path: the failure may be the
 * storage's own, and what could not be appended is tried again with the next failure and when
 * the run closes.
 */
public final class JobFailures implements RunObserver {
  private static final Logger LOG = LoggerFactory.getLogger(JobFailures.class);
  /** A cause chain longer than this is cut: the log holds the whole stack. */
  static final int MAX_CAUSE_CHARS = 2_000;

  public static final StructType SCHEMA = new StructType()
      .add("job", DataTypes.StringType, false)
      .add("failed_at", DataTypes.TimestampType, false)
      .add("in_a_row", DataTypes.IntegerType, false)
      .add("restart_after_ms", DataTypes.LongType, true)
      .add("cause", DataTypes.StringType, false);
  public static final TableDefinition TABLE = TableDefinition.of(Tables.JOB_FAILURES, SCHEMA);

  private final SparkSession spark;
  private final Tables tables;
  private final ExecutorService appender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "job-failures");
    t.setDaemon(true);
    return t;
  });
  private final HeldAppends<Row> held;

  private JobFailures(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
    this.held = new HeldAppends<>(spark, tables, TABLE, this::append);
  }

  public static JobFailures of(JobContext context) {
    return new JobFailures(context.spark(), context.tables());
  }

  @Override
  public void supervised(Job job, SupervisedFailure failure) {
    Row row = RowFactory.create(job.name(), Timestamp.from(Instant.now()), failure.inARow(),
        failure.restartAfter().map(java.time.Duration::toMillis).orElse(null), causeChain(failure.cause()));
    held.hold(row);
    appender.execute(this::flushQuietly);
  }

  /** Each distinct message of the chain, outermost first: Spark's wrapper says which query, the root says what broke. */
  static String causeChain(Throwable cause) {
    StringBuilder chain = new StringBuilder();
    Set<Throwable> seen = new HashSet<>();
    String last = null;
    for (Throwable t = cause; t != null && seen.add(t); t = t.getCause()) {
      String here = t.toString();
      if (last != null && t.getMessage() != null && last.contains(t.getMessage())) continue;
      if (chain.length() > 0) chain.append(" <- ");
      chain.append(here);
      last = here;
    }
    return chain.length() <= MAX_CAUSE_CHARS ? chain.toString() : chain.substring(0, MAX_CAUSE_CHARS - 1) + "…";
  }

  @Override
  public void flush() {
    held.flush();
  }

  private void flushQuietly() {
    held.flushOrTryAgain("with the next failure");
  }

  /** {@code afterFailure}: the last append may have committed; what the table has is left out. */
  private void append(List<Row> rows, boolean afterFailure) {
    Dataset<Row> failures = spark.createDataFrame(rows, SCHEMA);
    TableAccess access = TableAccess.of(spark, tables);
    if (afterFailure) {
      failures = failures.join(access.read(Tables.JOB_FAILURES).select("job", "failed_at", "in_a_row"),
          new String[] {"job", "failed_at", "in_a_row"}, "left_anti");
    }
    access.append(Tables.JOB_FAILURES, failures.coalesce(1));
  }

  @Override
  public void close() {
    appender.shutdown();
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("The last job failures could not be appended to {}", Tables.JOB_FAILURES, e);
    }
  }

  @Override
  public String toString() {
    return "the job failures in " + Tables.JOB_FAILURES;
  }
}
