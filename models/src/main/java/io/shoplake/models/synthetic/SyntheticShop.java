package io.shoplake.models.synthetic;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A shop's history made up in code, with the simulator's behaviour: each customer has a hidden
 * preferred category; a session views a few products, most of them in that category (popular
 * products more often), may fill a cart from what it viewed, and may order it. A fifth of the
 * sessions are anonymous. Silver-shaped orders, order lines and clickstream come out, so models
 * are trained through the same interaction builders as on real tables. Seeded: same seed, same shop.
 */
public final class SyntheticShop {
  /** @param preferredViewPercent share of a known customer's views in their preferred category */
  public record Options(int customers, int products, int categories, int sessions, int days, int preferredViewPercent,
      long seed) {}

  public static final StructType CLICKS = new StructType()
      .add("event_id", DataTypes.StringType).add("session_id", DataTypes.StringType)
      .add("customer_id", DataTypes.LongType).add("product_id", DataTypes.LongType)
      .add("event_type", DataTypes.StringType).add("channel", DataTypes.StringType)
      .add("event_ts", DataTypes.TimestampType);
  public static final StructType ORDERS = new StructType()
      .add("order_id", DataTypes.LongType).add("customer_id", DataTypes.LongType).add("status", DataTypes.StringType)
      .add("created_at", DataTypes.TimestampType).add("_is_deleted", DataTypes.BooleanType);
  public static final StructType ORDER_ITEMS = new StructType()
      .add("order_id", DataTypes.LongType).add("line_no", DataTypes.IntegerType).add("product_id", DataTypes.LongType)
      .add("_is_deleted", DataTypes.BooleanType);
  public static final StructType PRODUCTS = new StructType()
      .add("product_id", DataTypes.LongType).add("category", DataTypes.StringType)
      .add("_is_deleted", DataTypes.BooleanType);
  /** The generated history ends here, so runs are reproducible to the millisecond. */
  public static final Instant END = Instant.parse("2026-11-01T00:00:00Z");

  private final Options options;
  private final LongFunction<String> tastes;
  private final List<String> categories = new ArrayList<>();
  private final List<List<Long>> byCategory = new ArrayList<>();
  private final List<Row> clicks = new ArrayList<>();
  private final List<Row> orders = new ArrayList<>();
  private final List<Row> items = new ArrayList<>();

  /** @param tastes preferred category of a customer id, a name from {@link #categories(int)} */
  public SyntheticShop(Options options, LongFunction<String> tastes) {
    this.options = options;
    this.tastes = tastes;
    categories.addAll(categories(options.categories()));
    for (int c = 0; c < options.categories(); c++) byCategory.add(new ArrayList<>());
    for (long p = 1; p <= options.products(); p++) byCategory.get((int) (p % options.categories())).add(p);
    generate(new Random(options.seed()));
  }

  /** A shop whose tastes are drawn from the seed (for benchmarks). */
  public static SyntheticShop withRandomTastes(Options options) {
    List<String> names = categories(options.categories());
    return new SyntheticShop(options, c -> names.get(new Random(options.seed() ^ (c * 0x9E3779B97F4A7C15L))
        .nextInt(names.size())));
  }

  public static List<String> categories(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) names.add("category-" + i);
    return names;
  }

  private void generate(Random r) {
    long span = options.days() * 86_400_000L;
    long nextOrder = 1;
    for (int s = 0; s < options.sessions(); s++) {
      Long customer = r.nextInt(100) < 20 ? null : 1 + (long) r.nextInt(options.customers());
      String taste = customer == null ? categories.get(r.nextInt(categories.size())) : tastes.apply(customer);
      String session = "sess-" + s;
      long t = END.toEpochMilli() - span + (long) (r.nextDouble() * span);
      List<Long> viewed = new ArrayList<>();
      int views = 2 + r.nextInt(5);
      for (int v = 0; v < views; v++) {
        String category = r.nextInt(100) < options.preferredViewPercent() ? taste
            : categories.get(r.nextInt(categories.size()));
        long product = popularIn(category, r);
        viewed.add(product);
        click(session, customer, product, "view", t += 20_000);
      }
      if (r.nextInt(100) >= 50) continue;
      List<Long> cart = new ArrayList<>();
      for (int c = 1 + r.nextInt(3); c > 0; c--) {
        long product = viewed.get(r.nextInt(viewed.size()));
        if (!cart.contains(product)) {
          cart.add(product);
          click(session, customer, product, "add_to_cart", t += 10_000);
        }
      }
      if (customer == null || r.nextInt(100) >= 70) continue;
      long order = nextOrder++;
      Timestamp at = new Timestamp(t += 30_000);
      orders.add(RowFactory.create(order, customer, r.nextInt(100) < 6 ? "cancelled" : "paid", at, false));
      for (int line = 0; line < cart.size(); line++) items.add(RowFactory.create(order, line + 1, cart.get(line), false));
    }
  }

  /** Within a category, product i is chosen with weight 1/(i+1): a few bestsellers, a long tail. */
  private long popularIn(String category, Random r) {
    List<Long> ids = byCategory.get(categories.indexOf(category));
    double total = 0;
    for (int i = 0; i < ids.size(); i++) total += 1.0 / (i + 1);
    double x = r.nextDouble() * total;
    for (int i = 0; i < ids.size(); i++) {
      x -= 1.0 / (i + 1);
      if (x <= 0) return ids.get(i);
    }
    return ids.get(ids.size() - 1);
  }

  private void click(String session, Long customer, long product, String type, long ts) {
    clicks.add(RowFactory.create(session + "-" + clicks.size(), session, customer, product, type, "web", new Timestamp(ts)));
  }

  public Dataset<Row> clickstream(SparkSession spark) {
    return spark.createDataFrame(clicks, CLICKS);
  }

  public Dataset<Row> orders(SparkSession spark) {
    return spark.createDataFrame(orders, ORDERS);
  }

  public Dataset<Row> orderItems(SparkSession spark) {
    return spark.createDataFrame(items, ORDER_ITEMS);
  }

  public Dataset<Row> products(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (long p = 1; p <= options.products(); p++) {
      rows.add(RowFactory.create(p, categories.get((int) (p % options.categories())), false));
    }
    return spark.createDataFrame(rows, PRODUCTS);
  }

  public Dataset<Row> customers(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (long c = 1; c <= options.customers(); c++) rows.add(RowFactory.create(c, false));
    return spark.createDataFrame(rows, new StructType().add("customer_id", DataTypes.LongType)
        .add("_is_deleted", DataTypes.BooleanType));
  }

  public int clickCount() {
    return clicks.size();
  }
}
