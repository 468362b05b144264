package io.shoplake.cdc;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import io.shoplake.quality.PipelineEvents;
import io.shoplake.quality.Quarantine;
import io.shoplake.testing.DebeziumEvents;
import io.shoplake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both Debezium JSON shapes, and a source table whose columns change under a running job. */
class CdcSchemaChangeTest {
  private final SparkSession spark = SharedSpark.get();
  private ShoplakeConfig config;
  private Tables tables;

  @BeforeEach
  void setUp(@TempDir Path warehouse) {
    config = ShoplakeConfig.load("local", Map.of());
    tables = new Tables(warehouse.toUri().toString(), Topics.from(config));
  }

  private CdcApplyJob job(String table) {
    CdcApplyJob job = new CdcApplyJob(CdcTableSpec.from(config, table));
    TableBootstrap.ensure(spark, tables, job.outputs());
    TableBootstrap.ensure(spark, tables, List.of(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA),
        TableDefinition.of(Tables.PIPELINE_EVENTS, PipelineEvents.SCHEMA)));
    return job;
  }

  private Dataset<Row> silver(String table) {
    return spark.read().format("delta").load(tables.path(new TableId("silver", table)));
  }

  private static Map<String, Object> product(long id, String price) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("product_id", id);
    p.put("sku", "SKU-" + id);
    p.put("name", "Product " + id);
    p.put("category", "home");
    p.put("cost", "1.00");
    p.put("price", price);
    p.put("updated_at", "2026-11-25T10:00:00Z");
    return p;
  }

  @Test
  void aNewNullableSourceColumnFlowsIntoSilverWithoutARestart() {
    CdcApplyJob job = job("products");
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .create(product(1, "5.00"), 10).create(product(2, "6.00"), 20).toBronze(spark), 0);
    Map<String, Object> branded = product(2, "6.00");
    branded.put("brand", "Acme");
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .update(product(2, "6.00"), branded, 30).toBronze(spark), 1);

    assertRows(silver("products"), List.of("product_id", "brand", "_lsn"), List.of(row(1L, null, 10L), row(2L, "Acme", 30L)));

    // A restarted job finds the added column in silver and keeps filling it.
    Map<String, Object> rebranded = product(1, "5.00");
    rebranded.put("brand", "Zenith");
    new CdcApplyJob(CdcTableSpec.from(config, "products")).applyBatch(spark, tables, null,
        new DebeziumEvents("shop.products", "product_id").update(product(1, "5.00"), rebranded, 40).toBronze(spark), 2);
    assertRows(silver("products"), List.of("product_id", "brand"), List.of(row(1L, "Zenith"), row(2L, "Acme")));
  }

  @Test
  void sourceColumnsNamedLikeSqlKeywordsOrHoldingBackticksAreAddedAndFilled() {
    CdcApplyJob job = job("products");
    Map<String, Object> odd = product(3, "7.00");
    odd.put("select", "a reserved word");
    odd.put("gift`note", "a backtick inside");
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id").create(odd, 10).toBronze(spark), 0);

    assertRows(silver("products"), List.of("product_id", "`select`", "`gift``note`"),
        List.of(row(3L, "a reserved word", "a backtick inside")));
  }

  /**
   * A gained column's name reaches SQL text (the decoder's lookups, ADD COLUMNS): quotes and
   * backslashes in it are escaped; a name Delta cannot store is refused for the changes that give
   * it a value, which wait in quarantine instead of stopping the job or losing the value.
   */
  @Test
  void gainedColumnsWithQuotesAndBackslashesAreAddedAndUnstorableNamesQuarantineTheirValues() {
    CdcApplyJob job = job("products");
    Map<String, Object> quoted = product(4, "8.00");
    quoted.put("it's", "a quote");
    quoted.put("back\\slash", "a backslash");
    Map<String, Object> unstorable = product(5, "9.00");
    unstorable.put("gift note", "wrap it");
    Map<String, Object> unstorableButNull = product(6, "9.50");
    unstorableButNull.put("gift note", null);
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .create(quoted, 10).create(unstorable, 20).create(unstorableButNull, 30).toBronze(spark), 0);

    assertThat(silver("products").columns()).contains("it's", "back\\slash").doesNotContain("gift note");
    assertRows(silver("products"), List.of("product_id", "`it's`", "`back\\slash`"),
        List.of(row(4L, "a quote", "a backslash"), row(6L, null, null)));
    assertRows(spark.read().format("delta").load(tables.path(Tables.QUARANTINE)), List.of("offset", "error_class",
        "error_message"), List.of(row(1L, "UNSTORABLE_COLUMN", "after.gift note: the source gained a column whose name"
        + " Delta cannot store (a space or one of ,;{}()=, a newline or a tab), and this change gives it a value;"
        + " rename the column at the source, then replay the change from quarantine")));
  }

  @Test
  void connectSchemaEnvelopesDecodeScaledDecimalsTimestampsAndTypeNewColumns() {
    CdcApplyJob job = job("products");
    long micros = 1_764_064_800_123_456L;
    String event = envelope(
        "{\"type\":\"int64\",\"field\":\"product_id\"},{\"type\":\"string\",\"field\":\"sku\"},"
            + "{\"type\":\"string\",\"field\":\"name\"},{\"type\":\"string\",\"field\":\"category\"},"
            + decimalField("cost") + "," + decimalField("price") + ","
            + "{\"type\":\"int64\",\"name\":\"io.debezium.time.MicroTimestamp\",\"field\":\"updated_at\"},"
            + "{\"type\":\"int32\",\"field\":\"weight_grams\"}",
        // 0x04D2 = 1234 and 0x00FA = 250: unscaled, scale 2
        "{\"product_id\":7,\"sku\":\"SKU-7\",\"name\":\"Kettle\",\"category\":\"home\",\"cost\":\"APo=\","
            + "\"price\":\"BNI=\",\"updated_at\":" + micros + ",\"weight_grams\":250}", 70);
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .raw("{\"product_id\":7}", event).toBronze(spark), 0);

    assertRows(silver("products"), List.of("product_id", "cost", "price", "updated_at", "weight_grams", "_lsn"), List.of(
        row(7L, new BigDecimal("2.50"), new BigDecimal("12.34"), Timestamp.from(Instant.ofEpochSecond(0, micros * 1000)),
            250, 70L)));
    assertThat(silver("products").schema().apply("weight_grams").dataType().simpleString()).isEqualTo("int");
  }

  @Test
  void aTypeNarrowedAtTheSourceGoesToQuarantineWhileTheJobGoesOn() {
    CdcApplyJob job = job("products");
    String declaredAsDouble = envelope(
        "{\"type\":\"int64\",\"field\":\"product_id\"},{\"type\":\"float64\",\"field\":\"price\"}",
        "{\"product_id\":8,\"price\":9.99,\"sku\":\"SKU-8\"}", 80);
    String narrowedPrice = envelope(
        "{\"type\":\"int64\",\"field\":\"product_id\"},{\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"3\"},\"field\":\"price\"}",
        "{\"product_id\":9,\"price\":\"Jw8=\"}", 90);
    job.applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .create(product(1, "5.00"), 10)
        .create(product(2, "4.999"), 20)
        .raw("{\"product_id\":8}", declaredAsDouble)
        .raw("{\"product_id\":9}", narrowedPrice)
        .create(product(3, "7.00"), 30)
        // Past the 18 places a wide decimal keeps: a check made at that scale would take it for 5.00.
        .create(product(4, "5.000000000000000000000000000001"), 40)
        .create(product(5, "6.500000000000000000000000000000"), 50)
        .toBronze(spark), 0);

    assertRows(silver("products"), List.of("product_id", "price"),
        List.of(row(1L, new BigDecimal("5.00")), row(3L, new BigDecimal("7.00")), row(5L, new BigDecimal("6.50"))));
    assertRows(spark.read().format("delta").load(tables.path(Tables.QUARANTINE)), List.of("offset", "error_class", "error_message"),
        List.of(
            row(1L, "INCOMPATIBLE_TYPE",
                "after.price: source json value '4.999' does not fit silver type decimal(12,2) (type narrowed or changed at the source)"),
            row(3L, "INCOMPATIBLE_TYPE",
                "after.price: source org.apache.kafka.connect.data.Decimal value 'Jw8=' does not fit silver type decimal(12,2) (type narrowed or changed at the source)"),
            row(2L, "INCOMPATIBLE_TYPE",
                "after.price: source float64 value '9.99' does not fit silver type decimal(12,2) (type narrowed or changed at the source)"),
            row(5L, "INCOMPATIBLE_TYPE", "after.price: source json value '5.000000000000000000000000000001' does not fit silver"
                + " type decimal(12,2) (type narrowed or changed at the source)")));
  }

  /**
   * A personal table's gained column may hold personal data that nobody declared: it is added as
   * text and pseudonymised, whatever its source type, also after a restart.
   */
  @Test
  void columnsAPersonalTableGainsArePseudonymisedAsTextUntilDeclared() {
    Pseudonymizer pseudonymizer = new Pseudonymizer("schema-change-test-key");
    CdcApplyJob job = job("customers");
    Map<String, Object> ann = new LinkedHashMap<>(Map.of("customer_id", 1L, "email", "ann@example.com"));
    ann.put("backup_email", "ann.lee@example.org");
    String withBirthYear = envelope("{\"type\":\"int64\",\"field\":\"customer_id\"},"
        + "{\"type\":\"int32\",\"field\":\"birth_year\"}", "{\"customer_id\":2,\"birth_year\":1990}", 20);
    job.applyBatch(spark, tables, pseudonymizer, new DebeziumEvents("shop.customers", "customer_id")
        .create(ann, 10).raw("{\"customer_id\":2}", withBirthYear).toBronze(spark), 0);

    assertThat(silver("customers").schema().apply("backup_email").dataType().simpleString()).isEqualTo("string");
    assertThat(silver("customers").schema().apply("birth_year").dataType().simpleString()).isEqualTo("string");
    assertRows(silver("customers"), List.of("customer_id", "backup_email", "birth_year"), List.of(
        row(1L, pseudonymizer.pseudonym("ann.lee@example.org"), null), row(2L, null, pseudonymizer.pseudonym("1990"))));

    ann.put("backup_email", "ann@elsewhere.example");
    new CdcApplyJob(CdcTableSpec.from(config, "customers")).applyBatch(spark, tables, pseudonymizer,
        new DebeziumEvents("shop.customers", "customer_id").create(ann, 30).toBronze(spark), 1);
    assertRows(silver("customers").filter("customer_id = 1"), List.of("backup_email"),
        List.of(row(pseudonymizer.pseudonym("ann@elsewhere.example"))));
    assertThat(silver("customers").collectAsList().toString())
        .doesNotContain("ann.lee@example.org", "ann@elsewhere.example", "1990");
  }

  private static String decimalField(String name) {
    return "{\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"12\"},\"field\":\"" + name + "\"}";
  }

  /** A change event as Debezium writes it with {@code value.converter.schemas.enable=true}. */
  private static String envelope(String afterFields, String after, long lsn) {
    return "{\"schema\":{\"type\":\"struct\",\"fields\":["
        + "{\"type\":\"struct\",\"fields\":[" + afterFields + "],\"optional\":true,\"field\":\"before\"},"
        + "{\"type\":\"struct\",\"fields\":[" + afterFields + "],\"optional\":true,\"field\":\"after\"},"
        + "{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"field\":\"lsn\"}],\"field\":\"source\"},"
        + "{\"type\":\"string\",\"field\":\"op\"}],\"name\":\"shop.public.products.Envelope\"},"
        + "\"payload\":{\"before\":null,\"after\":" + after + ",\"source\":{\"lsn\":" + lsn + ",\"txId\":1,\"ts_ms\":"
        + System.currentTimeMillis() + ",\"snapshot\":\"false\"},\"op\":\"c\",\"ts_ms\":" + System.currentTimeMillis() + "}}";
  }
}
