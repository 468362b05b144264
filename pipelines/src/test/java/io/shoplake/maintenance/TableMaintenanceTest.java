package io.shoplake.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.Pipeline;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import io.shoplake.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableMaintenanceTest {
  private final SparkSession spark = SharedSpark.get();
  private final StringWriter out = new StringWriter();

  private ShoplakeConfig config(Path warehouse, String retention) {
    return ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", warehouse.toUri().toString(),
        "shoplake.maintenance.vacuum-retention", retention));
  }

  /** silver.inventory written in three small commits, as three micro-batches would leave it. */
  private String smallFiles(Tables tables) {
    String path = tables.path(Tables.SILVER_INVENTORY);
    for (int batch = 0; batch < 3; batch++) {
      spark.range(batch * 10, batch * 10 + 10).selectExpr("id AS product_id", "'WH-EAST' AS location_id")
          .coalesce(1).write().format("delta").mode("append").save(path);
    }
    return path;
  }

  @Test
  void optimizeCompactsWrittenTablesAndSkipsUnwrittenOnes(@TempDir Path warehouse) {
    ShoplakeConfig config = config(warehouse, "7d");
    String path = smallFiles(Tables.from(config));

    int done = TableMaintenance.optimize(spark, Tables.from(config), Pipeline.allTables(config), new PrintWriter(out, true));

    assertThat(done).isEqualTo(1);
    assertThat(spark.sql("DESCRIBE DETAIL delta.`" + path + "`").first().<Long>getAs("numFiles")).isEqualTo(1L);
    assertThat(spark.read().format("delta").load(path).count()).isEqualTo(30);
    assertThat(out.toString()).contains("ok   silver.inventory").contains("skip gold.inventory_availability: not written yet");
  }

  @Test
  void vacuumKeepsTheTimeTravelWindow(@TempDir Path warehouse) {
    ShoplakeConfig config = config(warehouse, "7d");
    String path = smallFiles(Tables.from(config));
    TableMaintenance.optimize(spark, Tables.from(config), Pipeline.allTables(config), new PrintWriter(out, true));

    TableMaintenance.vacuum(spark, Tables.from(config), Pipeline.allTables(config), MaintenanceSettings.from(config),
        new PrintWriter(out, true));

    // The files replaced by OPTIMIZE are younger than 7 days: version 0 is still readable.
    assertThat(spark.read().format("delta").option("versionAsOf", 0).load(path).count()).isEqualTo(10);
    assertThat(out.toString()).contains("VACUUM retention 168 hours");
  }

  @Test
  void vacuumRefusesARetentionShorterThanSevenDays(@TempDir Path warehouse) {
    ShoplakeConfig config = config(warehouse, "1h");

    // Refused when the settings are read, before any table is touched.
    assertThatThrownBy(() -> MaintenanceSettings.from(config))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vacuum-retention = 1h");
  }
}
