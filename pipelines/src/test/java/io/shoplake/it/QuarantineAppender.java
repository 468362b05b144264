package io.shoplake.it;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.SparkSessionFactory;
import io.shoplake.core.Tables;
import io.shoplake.quality.Quarantine;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One writer of {@link ConcurrentS3WritersIT}, in a JVM of its own as an Airflow task is: appends
 * {@code batches} quarantine batches of stage {@code stage} through the jobs' own write path,
 * from an agreed instant on, so that the writers' commits race. Arguments: stage, batches, the
 * instant (epoch millis), then settings as {@code key=value}.
 */
public final class QuarantineAppender {
  private static final StructType REJECTED = new StructType()
      .add("topic", DataTypes.StringType).add("partition", DataTypes.IntegerType).add("offset", DataTypes.LongType)
      .add("key", DataTypes.StringType).add("raw_value", DataTypes.BinaryType)
      .add("error_class", DataTypes.StringType).add("error_message", DataTypes.StringType);

  private QuarantineAppender() {}

  public static void main(String[] args) throws InterruptedException {
    String stage = args[0];
    int batches = Integer.parseInt(args[1]);
    long startAt = Long.parseLong(args[2]);
    Map<String, String> settings = new HashMap<>();
    for (int i = 3; i < args.length; i++) settings.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
    ShoplakeConfig config = ShoplakeConfig.load("s3", settings);
    SparkSession spark = SparkSessionFactory.create(config);
    Tables tables = Tables.from(config);
    spark.read().format("delta").load(tables.path(Tables.QUARANTINE)).count();
    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
    for (long batch = 0; batch < batches; batch++) {
      Dataset<Row> rejected = spark.createDataFrame(List.of(RowFactory.create("concurrency", 0, batch, stage,
          ("batch " + batch).getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON", "written by " + stage)), REJECTED);
      Quarantine.append(tables, rejected, stage, null, batch);
    }
    spark.stop();
  }
}
