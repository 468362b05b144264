package io.shoplake.testing;

import io.shoplake.clickstream.ClickstreamJob;
import io.shoplake.clickstream.ClickstreamSettings;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.ingest.BronzeRecords;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/** A temp warehouse with the clickstream's tables, clicks landed in bronze, and real jobs run available-now. */
public final class ClickstreamHarness {
  public final SparkSession spark = SharedSpark.get();
  public final ShoplakeConfig config;
  public final Tables tables;
  private long nextOffset;

  public ClickstreamHarness(Path warehouse, Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(overrides);
    all.put("shoplake.storage.warehouse", warehouse.toUri().toString());
    all.put("shoplake.trigger.mode", "available-now");
    config = ShoplakeConfig.load("local", all);
    tables = Tables.from(config);
    // Only what the clickstream job and its reconciliation touch, not the pipeline's 30 tables.
    TableBootstrap.ensure(spark, tables, clickstreamTables());
  }

  private static List<TableDefinition> clickstreamTables() {
    List<TableDefinition> defs = new ArrayList<>(ClickstreamJob.outputs());
    defs.add(TableDefinition.of(Tables.bronzeFor(Clicks.TOPIC), BronzeRecords.SCHEMA));
    defs.add(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA));
    defs.add(TableDefinition.of(Tables.PIPELINE_EVENTS, PipelineEvents.SCHEMA));
    return defs;
  }

  /** Creates the tables a test's other jobs read or write, beside the clickstream's. */
  public ClickstreamHarness with(TableDefinition... definitions) {
    TableBootstrap.ensure(spark, tables, List.of(definitions));
    return this;
  }

  /** Appends the clicks to bronze.clickstream as one bronze commit, in the order given. */
  public void land(Clicks... clicks) {
    List<Row> rows = Clicks.bronze(nextOffset, List.of(clicks));
    nextOffset += rows.size();
    spark.createDataFrame(rows, BronzeRecords.SCHEMA).write().format("delta").mode("append")
        .save(tables.path(Tables.bronzeFor(Clicks.TOPIC)));
  }

  /** Appends bronze rows again (Kafka redelivered them after a bronze crash). */
  public void landAgain(long firstOffset, Clicks... clicks) {
    spark.createDataFrame(Clicks.bronze(firstOffset, List.of(clicks)), BronzeRecords.SCHEMA).write().format("delta")
        .mode("append").save(tables.path(Tables.bronzeFor(Clicks.TOPIC)));
  }

  /** The clickstream job with this harness's settings. */
  public ClickstreamJob clickstreamJob() {
    return new ClickstreamJob(ClickstreamSettings.from(config));
  }

  public void run(Job job) throws Exception {
    job.start(new JobContext(spark, config, tables, Trigger.AvailableNow())).awaitTermination();
  }

  public Dataset<Row> table(TableId id) {
    return spark.read().format("delta").load(tables.path(id));
  }

  public Dataset<Row> quarantine() {
    return table(Tables.QUARANTINE);
  }
}
