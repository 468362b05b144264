package io.shoplake.cdc;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.JobContext;
import io.shoplake.core.JobRunner;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A silver job run as a stream: it resumes from its checkpoint, and refuses to run on without it. */
class CdcApplyRestartTest {
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path warehouse;

  @Test
  void aSilverJobWhoseCheckpointWasDeletedRefusesToStartInsteadOfSkippingBatches() throws Exception {
    ShoplakeConfig config = ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse.toUri().toString()));
    JobContext ctx = JobContext.create(spark, config);
    Tables tables = ctx.tables();
    CdcApplyJob job = new CdcApplyJob(CdcTableSpec.from(config, "inventory"));
    TableBootstrap.ensure(spark, tables, job.outputs());
    TableBootstrap.ensure(spark, tables, List.of(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA),
        TableDefinition.of(Tables.PIPELINE_EVENTS, PipelineEvents.SCHEMA)));
    String bronze = tables.path(Tables.bronzeFor("shop.inventory"));
    new DebeziumEvents("shop.inventory").create(inventory(1, "WH-EAST", 10, 0), 500).toBronze(spark)
        .write().format("delta").save(bronze);

    try (JobRunner runner = new JobRunner(ctx)) {
      runner.runToCompletion(List.of(job));
    }
    new DebeziumEvents("shop.inventory").create(inventory(2, "WH-EAST", 5, 0), 510).toBronze(spark)
        .write().format("delta").mode("append").save(bronze);
    try (JobRunner runner = new JobRunner(ctx)) {
      runner.runToCompletion(List.of(job));
    }
    assertThat(spark.read().format("delta").load(tables.path(job.output().id())).count())
        .as("resumed from its checkpoint").isEqualTo(2);

    deleteTree(warehouse.resolve("_checkpoints").resolve(job.name()));
    assertThatThrownBy(() -> {
      try (JobRunner runner = new JobRunner(ctx)) {
        runner.runToCompletion(List.of(job));
      }
    }).hasMessageContaining("silver.inventory has no checkpoint at")
        .hasMessageContaining(tables.path(Tables.PIPELINE_EVENTS));
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
