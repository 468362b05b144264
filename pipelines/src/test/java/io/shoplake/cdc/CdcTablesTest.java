package io.shoplake.cdc;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static io.shoplake.testing.RowAssert.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
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

/** The shop tables other than inventory: their types, and personal data kept out of silver. */
class CdcTablesTest {
  private static final String KEY = "test-key-0123456789abcdef";
  private final SparkSession spark = SharedSpark.get();
  private final Pseudonymizer pseudonymizer = new Pseudonymizer(KEY);
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
    TableBootstrap.ensure(spark, tables, List.of(TableDefinition.of(Tables.QUARANTINE, Quarantine.SCHEMA)));
    return job;
  }

  private Dataset<Row> silver(String table) {
    return spark.read().format("delta").load(tables.path(new io.shoplake.core.TableId("silver", table)));
  }

  private static Map<String, Object> customer(long id, String email, String phone, String name) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("customer_id", id);
    row.put("email", email);
    row.put("phone", phone);
    row.put("full_name", name);
    row.put("created_at", "2026-11-25T09:00:00.123456Z");
    row.put("updated_at", "2026-11-25T09:30:00Z");
    return row;
  }

  @Test
  void personalColumnsArePseudonymisedAndRawValuesNeverReachSilver() {
    job("customers").applyBatch(spark, tables, pseudonymizer, new DebeziumEvents("shop.customers", "customer_id")
        .create(customer(1, "ann@example.com", "+36 1 234 5678", "Ann Lee"), 100)
        .create(customer(2, "bob@example.com", null, "Bob Kim"), 110)
        .toBronze(spark), 0);

    assertRows(silver("customers"), List.of("customer_id", "email", "phone", "full_name", "created_at"), List.of(
        row(1L, pseudonymizer.pseudonym("ann@example.com"), pseudonymizer.pseudonym("+36 1 234 5678"),
            pseudonymizer.pseudonym("Ann Lee"), Timestamp.from(Instant.parse("2026-11-25T09:00:00.123456Z"))),
        row(2L, pseudonymizer.pseudonym("bob@example.com"), null, pseudonymizer.pseudonym("Bob Kim"),
            Timestamp.from(Instant.parse("2026-11-25T09:00:00.123456Z")))));
    assertThat(values(silver("customers")).toString()).doesNotContain("ann@example.com", "Ann Lee", "+36 1 234 5678");
  }

  @Test
  void pseudonymsDependOnTheKey() {
    assertThat(pseudonymizer.pseudonym("ann@example.com"))
        .isEqualTo(new Pseudonymizer(KEY).pseudonym("ann@example.com"))
        .isNotEqualTo(new Pseudonymizer(KEY + "x").pseudonym("ann@example.com"))
        .hasSize(64);
    assertThatThrownBy(() -> new Pseudonymizer("short")).hasMessageContaining("SHOPLAKE_PII_KEY");
  }

  @Test
  void decimalsAsStringsKeepTheirExactValue() {
    Map<String, Object> product = new LinkedHashMap<>();
    product.put("product_id", 7L);
    product.put("sku", "SKU-0007");
    product.put("name", "Kettle");
    product.put("category", "home");
    product.put("cost", "95.22");
    product.put("price", "159.02");
    product.put("updated_at", "2026-11-25T10:00:00Z");
    Map<String, Object> repriced = new LinkedHashMap<>(product);
    repriced.put("price", "149.99");
    job("products").applyBatch(spark, tables, null, new DebeziumEvents("shop.products", "product_id")
        .snapshot(product, 50).update(product, repriced, 60).toBronze(spark), 0);

    assertRows(silver("products"), List.of("product_id", "cost", "price", "_lsn"),
        List.of(row(7L, new BigDecimal("95.22"), new BigDecimal("149.99"), 60L)));
  }

  @Test
  void compositeKeysComeFromTheKafkaKeyWhenTheImageLacksThem() {
    Map<String, Object> item = DebeziumEvents.orderItem(3L, 1, 2, "10.50");
    Map<String, Object> withoutKey = new LinkedHashMap<>(item);
    withoutKey.remove("line_no");
    DebeziumEvents events = new DebeziumEvents("shop.order_items", "order_id", "line_no").create(item, 10);
    events.raw("{\"order_id\":3,\"line_no\":1}", "{\"before\":" + DebeziumEvents.json(withoutKey)
        + ",\"after\":null,\"source\":{\"lsn\":20,\"ts_ms\":" + System.currentTimeMillis() + "},\"op\":\"d\",\"ts_ms\":0}");
    job("order_items").applyBatch(spark, tables, null, events.toBronze(spark), 0);

    assertRows(silver("order_items"), List.of("order_id", "line_no", "quantity", "unit_price", "_is_deleted", "_lsn"),
        List.of(row(3L, 1, 2, new BigDecimal("10.50"), true, 20L)));
  }
}
