package io.shoplake.cdc;

import static io.shoplake.testing.DebeziumEvents.inventory;
import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.Expectations;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where every change of a batch goes (event log), expectations, and how long tombstones live. */
class CdcApplyAccountingTest {
  private static final List<String> STATE = List.of("product_id", "location_id", "on_hand", "reserved", "_is_deleted", "_lsn");
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path warehouse;
  private Tables tables;

  private CdcApplyJob job(String table, Map<String, String> overrides) {
    return job(table, overrides, java.util.function.UnaryOperator.identity());
  }

  private CdcApplyJob job(String table, Map<String, String> overrides, java.util.function.UnaryOperator<CdcTableSpec> edit) {
    ShoplakeConfig config = ShoplakeConfig.load("local", overrides);
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
    CdcApplyJob job = new CdcApplyJob(edit.apply(CdcTableSpec.from(config, table)));
    TableBootstrap.ensure(spark, tables, job.outputs());
    TableBootstrap.ensure(spark, tables, List.of(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA),
        TableDefinition.of(Tables.PIPELINE_EVENTS, PipelineEvents.SCHEMA)));
    return job;
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(tables.path(new io.shoplake.core.TableId(name.split("\\.")[0], name.split("\\.")[1])));
  }

  private Row eventLog(long batchId) {
    return table("quality.pipeline_events").filter("batch_id = " + batchId).first();
  }

  @Test
  void everyChangeOfABatchIsCountedAsAppliedStaleDuplicateQuarantinedOrTombstone() {
    CdcApplyJob job = job("inventory", Map.of());
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 500)
        .create(inventory(2, "WH-EAST", 5, 0), 510).toBronze(spark), 0);
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.inventory")
        .update(inventory(1, "WH-EAST", 1, 0), inventory(1, "WH-EAST", 2, 0), 400)    // stale: silver holds 500
        .create(inventory(2, "WH-EAST", 5, 0), 510)                                  // duplicate: re-sent after a crash
        .create(inventory(3, "WH-EAST", 7, 0), 600)
        .create(inventory(3, "WH-EAST", 7, 0), 600)                                  // duplicate within the batch
        .update(inventory(3, "WH-EAST", 7, 0), inventory(3, "WH-EAST", 6, 1), 610)   // folded into 620
        .update(inventory(3, "WH-EAST", 6, 1), inventory(3, "WH-EAST", 6, 2), 620)
        .create(inventory(4, "WH-EAST", -1, 0), 630)                                 // breaks non_negative_stock
        .raw("{\"product_id\":5,\"location_id\":\"WH-EAST\"}", "{\"op\":\"c\"}")    // no image
        .raw("{\"product_id\":3,\"location_id\":\"WH-EAST\"}", null)                 // Kafka tombstone
        .toBronze(spark), 1);

    Row log = eventLog(1);
    assertThat(List.of(log.<Long>getAs("rows_in"), log.<Long>getAs("applied"), log.<Long>getAs("stale"),
        log.<Long>getAs("duplicate"), log.<Long>getAs("quarantined"), log.<Long>getAs("kafka_tombstones")))
        .containsExactly(9L, 3L, 1L, 2L, 2L, 1L);
    assertThat(log.<scala.collection.Map<String, Long>>getAs("quarantined_by_rule"))
        .isEqualTo(scala.collection.immutable.Map.from(scala.jdk.javaapi.CollectionConverters.asScala(
            Map.of("non_negative_stock", 1L, "MISSING_IMAGE", 1L))));
    assertThat(log.<String>getAs("job")).isEqualTo("silver.inventory");
    assertRows(table("silver.inventory"), STATE, List.of(
        row(1L, "WH-EAST", 10, 0, false, 500L),
        row(2L, "WH-EAST", 5, 0, false, 510L),
        row(3L, "WH-EAST", 6, 2, false, 620L)));
    assertRows(table("quality.quarantine").filter("batch_id = 1"), List.of("offset", "error_class", "error_message"), List.of(
        row(6L, "EXPECTATION_FAILED", "expectation non_negative_stock (on_hand >= 0 AND reserved >= 0) failed"),
        row(7L, "MISSING_IMAGE", "op 'c' without its row image")));
  }

  @Test
  void aChangeCommittedLaterUnderALowerLsnIsQuarantinedAsARewindNotCountedStale() {
    CdcApplyJob job = job("inventory", Map.of());
    Instant lost = Instant.now().minus(3, ChronoUnit.HOURS);
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.inventory").committedFrom(lost)
        .create(inventory(1, "WH-EAST", 10, 0), 500)
        .create(inventory(2, "WH-EAST", 5, 0), 510).toBronze(spark), 0);
    // The database is restored from a backup taken at LSN 300, and an hour later takes changes again from there.
    Instant restored = lost.plus(1, ChronoUnit.HOURS);
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.inventory").committedFrom(lost)
        .update(inventory(1, "WH-EAST", 9, 0), inventory(1, "WH-EAST", 8, 0), 400)   // an old change re-sent: stale
        .create(inventory(5, "WH-EAST", 2, 0), 700)                                  // before the restore
        .committedFrom(restored)
        .update(inventory(2, "WH-EAST", 5, 0), inventory(2, "WH-EAST", 4, 0), 320)   // rewound: silver holds 510
        .create(inventory(3, "WH-EAST", 7, 0), 330)                                  // a row silver never had
        .update(inventory(5, "WH-EAST", 2, 0), inventory(5, "WH-EAST", 3, 0), 340)   // rewound: the batch applies 700
        .update(inventory(5, "WH-EAST", 2, 0), inventory(5, "WH-EAST", 3, 0), 340)   // its copy: a duplicate
        .toBronze(spark), 1);

    Row log = eventLog(1);
    assertThat(List.of(log.<Long>getAs("rows_in"), log.<Long>getAs("applied"), log.<Long>getAs("stale"),
        log.<Long>getAs("duplicate"), log.<Long>getAs("quarantined")))
        .containsExactly(6L, 2L, 1L, 1L, 2L);
    assertThat(log.<scala.collection.Map<String, Long>>getAs("quarantined_by_rule"))
        .isEqualTo(scala.collection.immutable.Map.from(scala.jdk.javaapi.CollectionConverters.asScala(
            Map.of("SOURCE_REWOUND", 2L))));
    assertRows(table("silver.inventory"), STATE, List.of(
        row(1L, "WH-EAST", 10, 0, false, 500L),
        row(2L, "WH-EAST", 5, 0, false, 510L),
        row(3L, "WH-EAST", 7, 0, false, 330L),
        row(5L, "WH-EAST", 2, 0, false, 700L)));
    List<Row> rewound = table("quality.quarantine").filter("batch_id = 1").orderBy("offset").collectAsList();
    assertThat(rewound).extracting(r -> r.<Long>getAs("offset"), r -> r.<String>getAs("error_class"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, "SOURCE_REWOUND"),
            org.assertj.core.groups.Tuple.tuple(4L, "SOURCE_REWOUND"));
    assertThat(rewound.get(0).<String>getAs("error_message")).startsWith("LSN 320 committed at ")
        .contains("is below LSN 510", "which silver holds for this row: the source database went back");
    assertThat(rewound.get(1).<String>getAs("error_message")).contains("LSN 340", "below LSN 700", "which the same batch applies");
    assertThat(new String(rewound.get(0).<byte[]>getAs("raw_value"), java.nio.charset.StandardCharsets.UTF_8))
        .as("the record, to replay after a resync").contains("\"lsn\":320");
    assertRows(table("silver.inventory_history").filter("product_id IN (2, 5)"), List.of("product_id", "on_hand", "_lsn"),
        List.of(row(2L, 5, 510L), row(5L, 2, 700L)));
  }

  @Test
  void aReplayedBatchIsReportedOnceAndCountsItsChangesAsDuplicatesWhenRunAgainUnderANewId() {
    CdcApplyJob job = job("inventory", Map.of());
    Dataset<Row> batch = new DebeziumEvents("shop.inventory").create(inventory(1, "WH-EAST", 10, 0), 100).toBronze(spark);
    job.applyBatch(spark, tables, null, batch, 0);
    job.applyBatch(spark, tables, null, batch, 0);
    job.applyBatch(spark, tables, null, batch, 1);

    assertRows(table("quality.pipeline_events"), List.of("batch_id", "rows_in", "applied", "duplicate"),
        List.of(row(0L, 1L, 1L, 0L), row(1L, 1L, 0L, 1L)));
  }

  @Test
  void anEmptyBatchIsLoggedAsNothingInAndChangesNothing() {
    CdcApplyJob job = job("inventory", Map.of());
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100).toBronze(spark), 0);
    Dataset<Row> empty = new DebeziumEvents("shop.inventory").create(inventory(2, "WH-EAST", 5, 0), 110).toBronze(spark).limit(0);

    job.applyBatch(spark, tables, null, empty, 1);

    assertRows(table("silver.inventory"), STATE, List.of(row(1L, "WH-EAST", 10, 0, false, 100L)));
    Row log = eventLog(1);
    assertThat(List.of(log.<Long>getAs("rows_in"), log.<Long>getAs("applied"), log.<Long>getAs("quarantined")))
        .containsExactly(0L, 0L, 0L);
  }

  @Test
  void warnExpectationKeepsTheRowAndCountsIt() {
    CdcApplyJob job = job("products", Map.of());
    Map<String, Object> belowCost = product(7, "12.00", "9.99");
    Map<String, Object> free = product(8, "1.00", "0.00");
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .create(belowCost, 10).create(free, 20).create(product(9, "1.00", "2.00"), 30).toBronze(spark), 0);

    assertRows(table("silver.products"), List.of("product_id"), List.of(row(7L), row(9L)));
    Row log = eventLog(0);
    assertThat(log.<scala.collection.Map<String, Long>>getAs("warned_by_rule").get("price_covers_cost").get()).isEqualTo(1L);
    assertThat(log.<scala.collection.Map<String, Long>>getAs("quarantined_by_rule").get("positive_price").get()).isEqualTo(1L);
  }

  @Test
  void failExpectationStopsTheJobBeforeAnythingIsWritten() {
    CdcApplyJob job = job("inventory", Map.of(), s -> new CdcTableSpec(s.table(), s.keys(), s.columns(), s.pseudonymised(),
        new Expectations(List.of(new Expectations.Expectation("non_negative_stock", "on_hand >= 0 AND reserved >= 0",
            Expectations.Action.FAIL))), s.tombstoneHorizon(), s.historyTracked()));
    Dataset<Row> batch = new DebeziumEvents("shop.inventory")
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .create(inventory(2, "WH-EAST", -3, 0), 110).toBronze(spark);

    assertThatThrownBy(() -> job.applyBatch(spark, tables, null, batch, 0))
        .hasMessageContaining("expectation non_negative_stock (on_hand >= 0 AND reserved >= 0) failed for shop.inventory-0@1");
    assertThat(table("silver.inventory").count()).isZero();
    assertThat(table("quality.pipeline_events").count()).isZero();
  }

  @Test
  void tombstonesAreForgottenOnlyAfterTheHorizon() {
    CdcApplyJob job = job("inventory", Map.of("shoplake.cdc.tables.inventory.tombstone-horizon", "3d"));
    Instant now = Instant.now();
    DebeziumEvents fourDaysAgo = new DebeziumEvents("shop.inventory").committedFrom(now.minus(4, ChronoUnit.DAYS))
        .create(inventory(1, "WH-EAST", 10, 0), 100)
        .delete(inventory(1, "WH-EAST", 10, 0), 200);
    DebeziumEvents twoDaysAgo = new DebeziumEvents("shop.inventory").committedFrom(now.minus(2, ChronoUnit.DAYS))
        .create(inventory(2, "WH-EAST", 10, 0), 300)
        .delete(inventory(2, "WH-EAST", 10, 0), 400)
        .create(inventory(3, "WH-EAST", 1, 0), 500);
    job.applyBatch(spark, tables, null, fourDaysAgo.toBronze(spark).union(twoDaysAgo.toBronze(spark)), 0);

    assertRows(table("silver.inventory"), STATE, List.of(
        row(2L, "WH-EAST", 10, 0, true, 400L),
        row(3L, "WH-EAST", 1, 0, false, 500L)));
  }

  private static Map<String, Object> product(long id, String cost, String price) {
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("product_id", id);
    p.put("sku", "SKU-" + id);
    p.put("name", "Product " + id);
    p.put("category", "home");
    p.put("cost", cost);
    p.put("price", price);
    p.put("updated_at", "2026-11-25T10:00:00Z");
    return p;
  }
}
