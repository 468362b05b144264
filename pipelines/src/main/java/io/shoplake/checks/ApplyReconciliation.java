package io.shoplake.checks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.shoplake.core.TableAccess;
import io.shoplake.quality.Erasures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Proves an apply job accounted for every bronze row: bronze rows = rows the event log says
 * the job read = applied + stale + duplicate + quarantined + Kafka tombstones, and the
 * quarantine holds as many of its rows as the log says. Meaningful once the job caught up.
 */
public final class ApplyReconciliation {
  public record Result(String job, long bronzeRows, long rowsIn, long applied, long stale, long duplicate,
      long quarantined, long tombstones, long quarantineRows, List<String> problems) {}

  private ApplyReconciliation() {}

  public static Result check(SparkSession spark, Tables tables, String job, TableId bronze) {
    TableAccess access = TableAccess.of(spark, tables);
    // Rows an erasure deleted were read and accounted for before it.
    Dataset<Row> erased = Erasures.deletedRecords(access);
    List<String> bronzeTopics = erased.filter(col("stage").isNull()).select("topic").distinct().as(Encoders.STRING())
        .collectAsList().stream().filter(topic -> Tables.bronzeFor(topic).equals(bronze)).toList();
    long bronzeRows = access.read(bronze).count()
        + (bronzeTopics.isEmpty() ? 0 : erased.filter(col("stage").isNull().and(col("topic").isInCollection(bronzeTopics))).count());
    Row log = access.read(Tables.PIPELINE_EVENTS)
        .filter(col("job").equalTo(job))
        .agg(total("rows_in"), total("applied"), total("stale"), total("duplicate"), total("quarantined"),
            total("kafka_tombstones"))
        .first();
    long quarantineRows = access.read(Tables.QUARANTINE).filter(col("stage").equalTo(job)).count()
        + erased.filter(col("stage").equalTo(job)).count();
    long rowsIn = log.getLong(0);
    long accounted = log.getLong(1) + log.getLong(2) + log.getLong(3) + log.getLong(4) + log.getLong(5);
    List<String> problems = new ArrayList<>();
    if (bronzeRows != rowsIn) problems.add("bronze has " + bronzeRows + " rows, the job read " + rowsIn);
    if (accounted != rowsIn) problems.add("read " + rowsIn + " but accounted for " + accounted);
    if (quarantineRows != log.getLong(4)) {
      problems.add("the log says " + log.getLong(4) + " quarantined, quarantine holds " + quarantineRows);
    }
    return new Result(job, bronzeRows, rowsIn, log.getLong(1), log.getLong(2), log.getLong(3), log.getLong(4),
        log.getLong(5), quarantineRows, problems);
  }

  private static org.apache.spark.sql.Column total(String column) {
    return coalesce(sum(col(column)), lit(0L)).as(column);
  }
}
