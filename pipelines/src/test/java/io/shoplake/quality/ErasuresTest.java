package io.shoplake.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.cdc.Pseudonymizer;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Tables;
import io.shoplake.quality.Erasures.RecordChange;
import io.shoplake.quality.Erasures.TableChange;
import io.shoplake.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The erasure log names customers only by a keyed reference, and what reads it leaves them out by it. */
class ErasuresTest {
  private static final Pseudonymizer KEYED = new Pseudonymizer("erasures-test-key-0123");

  @TempDir Path warehouse;

  @Test
  void aServingBatchLeavesOutTheCustomersAnErasureBeganForAndTheLogHoldsNoId() {
    SparkSession spark = SharedSpark.get();
    Tables tables = Tables.from(io.shoplake.core.ShoplakeConfig.load("local",
        Map.of("shoplake.storage.warehouse", warehouse.toUri().toString())));
    TableAccess access = TableAccess.of(spark, tables);
    var changes = spark.createDataFrame(List.of(RowFactory.create(41L, "vip"), RowFactory.create(987654321L, "vip"),
        RowFactory.create(null, "anonymous")), new StructType().add("customer_id", DataTypes.LongType)
        .add("segment", DataTypes.StringType));

    assertThat(Erasures.withoutErased(access, changes, "customer_id", () -> {
      throw new AssertionError("no erasure yet: the key is not needed");
    }).count()).isEqualTo(3);

    ErasedCustomer erased = ErasedCustomer.of(987654321, KEYED::pseudonym);
    Erasures.append(access, tables, "e-1", erased, Erasures.STARTED, List.of(), List.of());
    Erasures.append(access, tables, "e-1", erased, Erasures.ERASED,
        List.of(new TableChange("silver.customers", Erasures.DELETED, 1)),
        List.of(new RecordChange(null, "shop.customers", 0, 17, Erasures.DELETED),
            new RecordChange("silver.customers", "shop.customers", 0, 18, Erasures.DELETED),
            new RecordChange(null, "shop.orders", 1, 5, Erasures.CLEARED)));

    List<Row> kept = Erasures.withoutErased(access, changes, "customer_id", () -> KEYED::pseudonym)
        .orderBy("segment").collectAsList();
    assertThat(kept).extracting(r -> r.isNullAt(0) ? null : r.getLong(0)).containsExactly(null, 41L);
    assertThat(Erasures.deletedRecords(access).orderBy("offset").collectAsList()).extracting(Row::toString)
        .containsExactly("[null,shop.customers,0,17]", "[silver.customers,shop.customers,0,18]");
    assertThat(access.read(Tables.ERASURES).toJSON().collectAsList())
        .allSatisfy(row -> assertThat(row).doesNotContain("987654321").contains(erased.ref()));
    assertThat(erased.ref()).isNotEqualTo(KEYED.pseudonym("987654321"));
  }
}
