package io.shoplake.cdc;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history is written by its table's apply job; where it may stand behind that job's
 * checkpoint, the job's start records bronze's changes in it first.
 */
class HistoryBackfillTest {
  private final SparkSession spark = SharedSpark.get();
  private Tables tables;
  private CdcTableSpec spec;
  private CdcApplyJob job;
  private TableId bronze;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of());
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    spec = CdcTableSpec.from(config, "inventory");
    job = new CdcApplyJob(spec);
    TableBootstrap.ensure(spark, tables, job.outputs());
    bronze = Tables.bronzeFor("shop.inventory");
    new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .update(inventory(1, "WH-EAST", 10, 0), inventory(1, "WH-EAST", 7, 0), 200)
        .create(inventory(2, "WH-EAST", 3, 0), 300)
        .toBronze(spark).write().format("delta").save(tables.path(bronze));
  }

  private void start() {
    HistoryBackfill.ifBehind(TableAccess.of(spark, tables), tables, spec, null, bronze, tables.checkpoint(job.name(), "main"));
  }

  /** A checkpoint as Spark leaves it once a query has begun its first batch. */
  private Path progressed(String jobName) throws Exception {
    Path offsets = Path.of(java.net.URI.create(tables.checkpoint(jobName, "main"))).resolve("offsets");
    Files.createDirectories(offsets);
    Files.writeString(offsets.resolve("0"), "v1\n");
    return offsets.getParent().getParent();
  }

  private List<Long> versionStarts() {
    return spark.read().format("delta").load(tables.path(spec.historyTable())).orderBy("product_id", "_lsn")
        .select("_lsn").collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  @Test
  void aHistoryThatHadAQueryOfItsOwnIsCaughtUpFromBronzeAndItsOldCheckpointRemoved() throws Exception {
    Path ownQuery = progressed("silver.inventory_history");
    progressed(job.name());

    start();

    assertThat(versionStarts()).containsExactly(100L, 200L, 300L);
    assertThat(ownQuery).doesNotExist();
  }

  @Test
  void aHistoryTurnedOnAfterSilverWasWrittenGetsEveryChangeBronzeHolds() throws Exception {
    progressed(job.name());

    start();

    assertThat(versionStarts()).containsExactly(100L, 200L, 300L);
  }

  @Test
  void catchingUpTwiceChangesNothing() throws Exception {
    progressed("silver.inventory_history");
    start();
    List<Row> once = spark.read().format("delta").load(tables.path(spec.historyTable())).collectAsList();
    progressed("silver.inventory_history");

    start();

    assertThat(spark.read().format("delta").load(tables.path(spec.historyTable())).collectAsList())
        .containsExactlyInAnyOrderElementsOf(once);
  }

  @Test
  void aFreshStartLeavesTheHistoryToTheStream() {
    start();

    assertThat(TableAccess.of(spark, tables).neverWritten(spec.historyTable())).isTrue();
  }

  @Test
  void theApplyJobRecordsEveryChangeOfItsBatchInTheHistoryBesideTheNewestInSilver() {
    TableBootstrap.ensure(spark, tables, List.of(io.shoplake.core.TableDefinition.of(Tables.QUARANTINE,
        io.shoplake.quality.Quarantine.SCHEMA), io.shoplake.core.TableDefinition.of(Tables.PIPELINE_EVENTS,
        io.shoplake.quality.PipelineEvents.SCHEMA)));

    job.applyBatch(spark, tables, null, spark.read().format("delta").load(tables.path(bronze)), 0);

    assertThat(versionStarts()).containsExactly(100L, 200L, 300L);
    assertThat(spark.read().format("delta").load(tables.path(spec.silverTable())).orderBy("product_id")
        .select("_lsn").collectAsList().stream().map(r -> r.getLong(0)).toList()).containsExactly(200L, 300L);
  }
}
