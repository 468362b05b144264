package io.shoplake.models.interactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.shoplake.core.ShoplakeConfig;
import io.shoplake.models.ModelsSettings;
import io.shoplake.models.TestShop;
import io.shoplake.models.synthetic.SyntheticShop;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class InteractionsTest {
  static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
  static final long DAY = 86_400_000L;

  private static ModelsSettings settings(String anonymous) {
    return ModelsSettings.from(ShoplakeConfig.load("local", Map.of("shoplake.storage.warehouse", "file:/unused",
        "shoplake.models.interactions.anonymous", anonymous)));
  }

  private static Timestamp daysBefore(int days) {
    return new Timestamp(END.toEpochMilli() - days * DAY);
  }

  private static Dataset<Row> clicks(SparkSession spark, Object[]... rows) {
    return spark.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SyntheticShop.CLICKS);
  }

  @Test
  void confidenceSumsTypeWeightsHalvedPerHalfLifeOfAge() {
    SparkSession spark = TestShop.spark();
    ModelsSettings s = settings("exclude"); // view 1, add_to_cart 3, order 5; half-life 30 days
    Dataset<Row> events = InteractionEvents.fromClickstream(clicks(spark,
        new Object[] {"e1", "s1", 1L, 10L, "view", "web", daysBefore(0)},
        new Object[] {"e2", "s1", 1L, 10L, "add_to_cart", "web", daysBefore(30)},
        new Object[] {"e3", "s1", 1L, 10L, "search", "web", daysBefore(0)},
        new Object[] {"e4", "s2", null, 10L, "view", "web", daysBefore(0)}), s);

    List<Row> rows = Interactions.aggregate(events, END, s.halfLifeMillis()).collectAsList();

    // 1 × 1 (today) + 3 × 0.5 (one half-life ago); the search has no weight; the anonymous view is excluded.
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getInt(0)).isEqualTo(1);
    assertThat(rows.get(0).getDouble(2)).isCloseTo(2.5, within(1e-9));
  }

  @Test
  void anonymousSessionsBecomeUsersOfTheirOwnWhenConfigured() {
    SparkSession spark = TestShop.spark();
    List<Row> users = InteractionEvents.fromClickstream(clicks(spark,
        new Object[] {"e1", "s1", null, 10L, "view", "web", daysBefore(0)},
        new Object[] {"e2", "s1", null, 11L, "view", "web", daysBefore(0)},
        new Object[] {"e3", "s2", null, 10L, "view", "web", daysBefore(0)}), settings("session"))
        .select("user_id").distinct().collectAsList();

    assertThat(users).hasSize(2).allSatisfy(r -> assertThat(r.getInt(0)).isGreaterThanOrEqualTo(InteractionEvents.ANONYMOUS_BASE));
  }

  @Test
  void deletedAndCancelledOrdersAreNotPurchases() {
    SparkSession spark = TestShop.spark();
    Dataset<Row> orders = spark.createDataFrame(List.of(
        RowFactory.create(1L, 5L, "paid", daysBefore(1), false),
        RowFactory.create(2L, 5L, "cancelled", daysBefore(1), false),
        RowFactory.create(3L, 5L, "paid", daysBefore(1), true)), SyntheticShop.ORDERS);
    Dataset<Row> items = spark.createDataFrame(List.of(
        RowFactory.create(1L, 1, 100L, false), RowFactory.create(1L, 2, 101L, true),
        RowFactory.create(2L, 1, 102L, false), RowFactory.create(3L, 1, 103L, false)), SyntheticShop.ORDER_ITEMS);

    List<Row> lines = InteractionEvents.fromOrders(orders, items, settings("exclude")).collectAsList();

    assertThat(lines).extracting(r -> r.getInt(0) + ":" + r.getInt(1) + ":" + r.getDouble(2)).containsExactly("5:100:5.0");
  }

  @Test
  void aCustomerIdInTheAnonymousRangeFailsLoudlyInsteadOfMergingWithASession() {
    SparkSession spark = TestShop.spark();
    Dataset<Row> events = InteractionEvents.fromClickstream(clicks(spark,
        new Object[] {"e1", "s1", 3_000_000_000L, 10L, "view", "web", daysBefore(0)}), settings("exclude"));

    assertThatThrownBy(events::collectAsList).hasStackTraceContaining("(reserved for anonymous sessions): 3000000000");
  }
}
