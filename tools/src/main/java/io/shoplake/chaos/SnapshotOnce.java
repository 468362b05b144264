package io.shoplake.chaos;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

import io.shoplake.cli.DataChecks;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Debezium took its snapshot once: after PostgreSQL and Debezium restarts it resumed from its
 * stored offsets. A second snapshot would read every row again ({@code op = r}), so a key read
 * twice in bronze betrays one. Silver would still equal PostgreSQL, which is why this is asked
 * on its own.
 */
final class SnapshotOnce {
  private SnapshotOnce() {}

  static List<DataChecks.Line> check(SparkSession spark, Tables tables, List<String> cdcTopics) {
    List<DataChecks.Line> lines = new ArrayList<>();
    TableAccess access = TableAccess.of(spark, tables);
    for (String topic : cdcTopics) {
      Row r = access.read(Tables.bronzeFor(topic))
          .filter(get_json_object(col("value"), "$.op").equalTo("r"))
          .agg(count(lit(1)), countDistinct(col("key")))
          .first();
      long reads = r.getLong(0);
      long keys = r.getLong(1);
      lines.add(new DataChecks.Line(reads == keys ? DataChecks.Status.OK : DataChecks.Status.DIFF, "cdc",
          String.format("%s: snapshot taken once (%d rows read, %d keys)", topic, reads, keys), (int) (reads - keys)));
    }
    return lines;
  }
}
