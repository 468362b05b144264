package io.shoplake.models.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoplake.models.TestShop;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ServingPublisherTest {
  @Test
  void oneValuePerCustomerWithProductsInRankOrderAndBothVersions() {
    Timestamp now = new Timestamp(0);
    var table = TestShop.spark().createDataFrame(List.of(
        RowFactory.create(7L, 2, 30L, 0.5, "als", 4L, now),
        RowFactory.create(7L, 1, 20L, 0.9, "als", 4L, now),
        RowFactory.create(8L, 1, 10L, 3.0, "popular", 4L, now)), Recommendations.SCHEMA);

    List<Row> values = ServingPublisher.values(table, "customer_id", "product_id", 12).orderBy("key").collectAsList();

    assertThat(values).extracting(r -> r.getString(0) + " " + r.getString(1)).containsExactly(
        "7 {\"customer_id\":7,\"products\":[20,30],\"source\":\"als\",\"model_version\":4,\"version\":12}",
        "8 {\"customer_id\":8,\"products\":[10],\"source\":\"popular\",\"model_version\":4,\"version\":12}");
  }
}
