package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Records that break the contract ({@link BadInputCorpus}, one file per case) land in quarantine
 * with their reason and their bytes; the flow goes on. The records are sent before the {@link
 * SharedPipelineRun}, which runs every job until gold and silver equal PostgreSQL: the valid
 * changes around them reached gold, and no job stopped on them.
 */
@Order(1)
class BadInputIT {
  @Test
  void everyRecordOfTheCorpusIsQuarantinedOnceWhereItsCaseSaysWithItsBytes() throws Exception {
    SharedPipelineRun run = SharedPipelineRun.get();
    ShoplakeConfig config = run.config();
    SparkSession spark = ItSpark.get(Devstack.get());
    Dataset<Row> quarantine = spark.read().format("delta").load(Tables.from(config).path(Tables.QUARANTINE));

    assertThat(run.badInput()).hasSizeGreaterThanOrEqualTo(10);
    // Every case is checked before the test fails: one run shows all that broke.
    SoftAssertions cases = new SoftAssertions();
    for (BadInputCorpus.Sent sent : run.badInput()) {
      BadInputCorpus.Case c = sent.badInput();
      List<Row> rows = quarantine.filter(quarantine.col("topic").equalTo(c.topic())
              .and(quarantine.col("partition").equalTo(sent.at().partition()))
              .and(quarantine.col("offset").equalTo(sent.at().offset())))
          .select("stage", "error_class", "error_message", "raw_value", "raw_key").collectAsList();
      String what = c.name() + " (" + c.about() + ")";
      cases.assertThat(rows).as(what + ": quarantine rows").hasSize(1);
      if (rows.size() != 1) continue;
      Row r = rows.get(0);
      cases.assertThat(r.getString(0)).as(what + ": stage").isEqualTo(c.expected().stage());
      cases.assertThat(r.getString(1)).as(what + ": error class").isEqualTo(c.expected().errorClass());
      cases.assertThat(r.getString(2)).as(what + ": message").contains(c.expected().message());
      cases.assertThat(Arrays.equals((byte[]) r.get(3), c.value())).as(what + ": the value's bytes as sent").isTrue();
      cases.assertThat(Arrays.equals((byte[]) r.get(4), c.key())).as(what + ": the key's bytes as sent").isTrue();
    }
    cases.assertAll();
    // In = bronze + quarantined at ingest, for every partition of every source topic.
    PipelineRuns.assertBronzeReconciles(spark, config);
  }
}
