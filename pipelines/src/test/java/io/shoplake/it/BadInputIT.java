package io.shoplake.it;

import static io.shoplake.testing.RowAssert.assertRows;
import static io.shoplake.testing.RowAssert.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Records that break the contract land in quarantine with their reason; the flow goes on. The
 * records are sent before the {@link SharedPipelineRun}, which runs until gold equals PostgreSQL:
 * the valid changes around them reached gold.
 */
@Order(1)
class BadInputIT {
  @Test
  void malformedAndWrongTypedCdcRecordsAreQuarantinedWithTheirCoordinates() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    ShoplakeConfig config = run.config();
    RecordMetadata malformed = run.malformedRecord();
    RecordMetadata wrongType = run.wrongTypeRecord();
    SparkSession spark = ItSpark.get(Devstack.get());

    Dataset<Row> quarantine = spark.read().format("delta").load(Tables.from(config).path(Tables.QUARANTINE))
        .filter("topic = 'shop.inventory'");
    assertRows(quarantine.filter("offset IN (" + malformed.offset() + "," + wrongType.offset() + ")"),
        List.of("stage", "topic", "partition", "offset", "error_class", "error_message"),
        List.of(
            row("bronze.ingest", "shop.inventory", malformed.partition(), malformed.offset(), "MALFORMED_JSON",
                "value is not a JSON object: {\"op\":\"u\", \"after\": {"),
            row("silver.inventory", "shop.inventory", wrongType.partition(), wrongType.offset(), "WRONG_TYPE",
                "after.on_hand: expected int, got 'plenty'")));
    assertThat(quarantine.filter("raw_value IS NULL").count()).as("raw bytes kept").isZero();
    // In = bronze + quarantined at ingest, for every partition of every source topic.
    PipelineRuns.assertBronzeReconciles(spark, config);
  }
}
