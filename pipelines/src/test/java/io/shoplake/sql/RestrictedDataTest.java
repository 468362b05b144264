package io.shoplake.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.Sql;
import io.shoplake.core.TableId;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an analyst's plan may read on the SQL endpoint: the served tables, the quarantine through
 * its redacting view, and nothing else of the warehouse or the machine. Plans are analysed here as
 * the endpoint's check rule would see them.
 */
class RestrictedDataTest {
  private static final String EMAIL = "planted.person@example.org";
  private static final TableId VIEW = new TableId("restrictedtest", "quarantine");
  private static final SparkSession spark = SharedSpark.get();
  private static Path warehouse;
  private static RestrictedDataExtension.Scope scope;

  @BeforeAll
  static void warehouseWithServedAndRestrictedTables() throws Exception {
    warehouse = Files.createTempDirectory("restricted-data");
    spark.sql("CREATE TABLE " + Sql.deltaTable(path("silver/customers")) + " (customer_id BIGINT, email STRING)"
        + " USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    spark.sql("INSERT INTO " + Sql.deltaTable(path("silver/customers")) + " VALUES (7, 'pseudonym-of-the-email')");
    spark.sql("CREATE TABLE " + Sql.deltaTable(path("bronze/shop_customers")) + " (key STRING, value STRING) USING delta");
    spark.sql("INSERT INTO " + Sql.deltaTable(path("bronze/shop_customers")) + " VALUES ('7', '{\"email\":\"" + EMAIL + "\"}')");
    Timestamp now = new Timestamp(System.currentTimeMillis());
    spark.createDataFrame(List.of(
        quarantined("silver.customers", "{\"customer_id\":7}", "after.email: value '" + EMAIL + "' ...", now),
        quarantined("silver.products", "{\"product_id\":42}", "after.price: expected decimal(12,2), got 'abc'", now),
        quarantined(null, EMAIL, "value is not UTF-8", now)), Quarantine.SCHEMA)
        .write().format("delta").save(path("quality/quarantine"));
    spark.sql("CREATE DATABASE IF NOT EXISTS " + VIEW.layer());
    spark.sql("DROP VIEW IF EXISTS " + VIEW);
    spark.sql(new AnalystCatalog(List.of(new TableId("silver", "products"))).quarantineView(VIEW, path("quality/quarantine")));
    scope = new RestrictedDataExtension.Scope(List.of(path("silver/customers")), Map.of(path("quality/quarantine"),
        RestrictedDataExtension.redactionIn(spark.table(VIEW.toString()).queryExecution().analyzed())));
  }

  @AfterAll
  static void dropTheView() {
    spark.sql("DROP VIEW IF EXISTS " + VIEW);
  }

  private static Row quarantined(String source, String key, String message, Timestamp at) {
    return RowFactory.create("silver.job", source, "shop.customers", 0, 5L, key,
        ("{\"email\":\"" + EMAIL + "\"}").getBytes(StandardCharsets.UTF_8), "INCOMPATIBLE_TYPE", message, 1L, at, at,
        key.getBytes(StandardCharsets.UTF_8));
  }

  /** A location as Spark's file index names it. */
  private static String path(String table) {
    return new org.apache.hadoop.fs.Path(warehouse.resolve(table).toUri()).toString();
  }

  private static void check(Supplier<Dataset<Row>> query) {
    LogicalPlan analysed = query.get().queryExecution().analyzed();
    RestrictedDataExtension.check(analysed, scope);
  }

  @Test
  void aServedTableIsReadAsAnyDeltaTableIsIncludingItsPastAndItsChanges() {
    check(() -> spark.read().format("delta").load(path("silver/customers")));
    check(() -> spark.sql("SELECT * FROM " + Sql.deltaTable(path("silver/customers")) + " VERSION AS OF 0"));
    check(() -> spark.sql("SELECT * FROM table_changes_by_path(" + Sql.literal(path("silver/customers")) + ", 0)"));
    String now = spark.sql("DESCRIBE HISTORY " + Sql.deltaTable(path("silver/customers"))).first()
        .getAs("timestamp").toString();
    check(() -> spark.sql("SELECT * FROM " + Sql.deltaTable(path("silver/customers")) + " TIMESTAMP AS OF '" + now
        + "' WHERE customer_id > 0"));
    check(() -> spark.sql("WITH c AS (SELECT * FROM " + Sql.deltaTable(path("silver/customers")) + ")"
        + " SELECT count(*), (SELECT 1) FROM c, range(2)"));
  }

  @Test
  void restrictedTablesFilesOfTheWarehouseOrTheMachineAndOtherSourcesAreRefused() throws Exception {
    String bronze = path("bronze/shop_customers");
    Path environ = Files.writeString(warehouse.resolve("environ"), "AWS_SECRET_ACCESS_KEY=s3cr3t");
    List<Supplier<Dataset<Row>>> refused = List.of(
        () -> spark.sql("SELECT * FROM " + Sql.deltaTable(bronze)),
        () -> spark.sql("SELECT * FROM " + Sql.deltaTable(path("quality/quarantine"))),
        () -> spark.read().text(bronze + "/_delta_log"),
        () -> spark.read().option("recursiveFileLookup", "true").parquet(warehouse.toUri().toString()),
        () -> spark.read().format("delta").load(path("silver/customers") + "/../../bronze/shop_customers"),
        () -> spark.read().text(environ.toString()),
        () -> spark.sql("SELECT customer_id, (SELECT max(value) FROM " + Sql.deltaTable(bronze) + ") FROM "
            + Sql.deltaTable(path("silver/customers"))),
        () -> spark.read().format("kafka").option("kafka.bootstrap.servers", "127.0.0.1:9").option("subscribe", "shop.customers")
            .load());
    for (Supplier<Dataset<Row>> query : refused) {
      assertThatThrownBy(() -> check(query)).isInstanceOf(SecurityException.class)
          .hasMessageContaining("serves analysts its tables only");
    }
    // Kept in a temporary view, a restricted read is refused where the view is read.
    spark.read().format("delta").load(bronze).createOrReplaceTempView("restricted_test_copy");
    assertThatThrownBy(() -> check(() -> spark.table("restricted_test_copy"))).isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> RestrictedDataExtension.check(spark.range(1).queryExecution().analyzed(), null))
        .as("before the server set what it serves").isInstanceOf(SecurityException.class);
  }

  @Test
  void theQuarantineIsReadThroughItsViewWithoutTheRecordsOfPersonalTables() {
    check(() -> spark.table(VIEW.toString()));
    Dataset<Row> view = spark.table(VIEW.toString());
    assertThat(view.columns()).containsExactly("stage", "source_table", "topic", "partition", "offset", "key",
        "error_class", "error_message", "batch_id", "quarantined_at", "kafka_timestamp");
    List<Row> rows = view.orderBy("source_table").collectAsList();
    assertThat(rows).extracting(r -> r.getAs("source_table"), r -> r.getAs("key"), r -> r.getAs("error_message"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, null, null),
            org.assertj.core.groups.Tuple.tuple("silver.customers", null, null),
            org.assertj.core.groups.Tuple.tuple("silver.products", "{\"product_id\":42}",
                "after.price: expected decimal(12,2), got 'abc'"));
    assertThat(rows).allSatisfy(r -> assertThat(r.mkString("|")).doesNotContain(EMAIL));
    assertThat(rows).extracting(r -> r.getAs("error_class")).containsOnly("INCOMPATIBLE_TYPE");
  }
}
