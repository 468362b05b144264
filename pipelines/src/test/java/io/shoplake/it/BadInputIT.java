package io.shoplake.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.checks.AvailabilityComparison;
import io.shoplake.checks.PostgresSettings;
import io.shoplake.core.RedisSettings;
import io.shoplake.core.ShoplakeConfig;
import io.shoplake.core.Tables;
import io.shoplake.serving.AvailabilityHash;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Records that break the contract ({@link BadInputCorpus}, one file per case) land in quarantine
 * with their reason and their bytes; the flow goes on. Awkward values the shop's database really
 * holds are served as it holds them. The records are sent before the {@link
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

  @Test
  void awkwardValuesTheShopReallyHoldsAreServedAsPostgresHoldsThem() throws Exception {
    ShoplakeConfig config = SharedPipelineRun.get().config();
    Map<String, Integer> truth = AvailabilityComparison.postgres(PostgresSettings.from(config));
    Map<Long, Map<String, String>> hashes = AvailabilityComparison.hashes(RedisSettings.from(config));
    List<BadInputCorpus.Case> fromSource = BadInputCorpus.cases().stream().filter(BadInputCorpus.Case::fromSource).toList();
    assertThat(fromSource).isNotEmpty();
    SoftAssertions cases = new SoftAssertions();
    for (BadInputCorpus.Case c : fromSource) {
      long product = c.servedProduct();
      String what = c.name() + " (" + c.about() + "): product " + product;
      Map<String, Integer> expected = new TreeMap<>();
      truth.forEach((key, units) -> {
        if (key.startsWith(product + "/")) expected.put(key.substring(key.indexOf('/') + 1), units);
      });
      Map<String, String> hash = hashes.getOrDefault(product, Map.of());
      Map<String, Integer> served = new TreeMap<>();
      long newest = 0;
      for (Map.Entry<String, String> field : hash.entrySet()) {
        AvailabilityHash.location(field.getKey()).ifPresent(l -> served.put(l, Integer.parseInt(field.getValue())));
        if (field.getKey().endsWith("@v")) newest = Math.max(newest, Long.parseLong(field.getValue()));
      }
      cases.assertThat(served).as(what + ": units per location in Redis").isEqualTo(expected);
      cases.assertThat(hash.get(AvailabilityHash.TOTAL)).as(what + ": total in Redis")
          .isEqualTo(Integer.toString(expected.values().stream().mapToInt(Integer::intValue).sum()));
      cases.assertThat(hash.get(AvailabilityHash.VERSION)).as(what + ": version in Redis").isEqualTo(Long.toString(newest));
    }
    cases.assertAll();
  }
}
