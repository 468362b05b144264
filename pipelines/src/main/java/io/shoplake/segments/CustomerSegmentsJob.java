package io.shoplake.segments;

import static org.apache.spark.sql.functions.col;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Cycles;
import io.shoplake.core.Job;
import io.shoplake.core.JobContext;
import io.shoplake.core.JobDeclaration;
import io.shoplake.core.JobKind;
import io.shoplake.core.SilverReads;
import io.shoplake.core.TableAccess;
import io.shoplake.core.Erasure;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import io.shoplake.core.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Customer segments (RFM, category affinity, cart abandoner) and abandoned carts, recomputed
 * from silver once per cycle.
 *
 * <p>Reads: {@code silver.orders}, {@code silver.products}, {@code silver.clickstream} (when it
 * exists). Writes: {@code gold.abandoned_carts} (insert-only MERGE by session id: a cart is
 * recorded once) and {@code gold.customer_segments} (MERGE by customer × segment: new
 * memberships inserted with {@code entered_at} = now, kept ones updated with their
 * {@code entered_at} untouched, ended ones deleted). Both have the change feed on; the serving
 * jobs publish from it. Trigger: one cycle per run ({@link Cycles}). Run:
 * {@code shoplake run gold.customer_segments}.
 */
public final class CustomerSegmentsJob implements Job {
  private final SegmentsSettings settings;

  public CustomerSegmentsJob(SegmentsSettings settings) {
    this.settings = settings;
  }

  public static final String NAME = "gold.customer_segments";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobDeclaration declaration(Topics topics) {
    return JobDeclaration.of(JobKind.SCHEDULED)
        .reads(Tables.SILVER_ORDERS, Tables.SILVER_PRODUCTS, Tables.SILVER_CLICKSTREAM).writes(outputs());
  }

  public static List<TableDefinition> outputs() {
    return List.of(
        TableDefinition.withChangeFeed(Tables.GOLD_ABANDONED_CARTS, AbandonedCarts.SCHEMA).erasedBy(Erasure.clearColumn()),
        TableDefinition.withChangeFeed(Tables.GOLD_CUSTOMER_SEGMENTS, CustomerSegments.SCHEMA).erasedBy(Erasure.deleteRows()));
  }

  @Override
  public StreamingQuery start(JobContext ctx) throws Exception {
    Tables tables = ctx.tables();
    SparkSession spark = ctx.spark();
    return Cycles.start(ctx, NAME, asOf -> cycle(spark, tables, settings, asOf));
  }

  public static void cycle(SparkSession spark, Tables tables, SegmentsSettings settings, Instant asOf) {
    Dataset<Row> orders = TableAccess.of(spark, tables).read(Tables.SILVER_ORDERS);
    Dataset<Row> products = SilverReads.live(spark, tables, Tables.SILVER_PRODUCTS);
    Dataset<Row> clicks = SilverReads.clickstream(spark, tables);

    // Carts first: the cart-abandoner segment reads what is recorded, so it matches what was published.
    Dataset<Row> liveOrders = orders.filter(col(CdcColumns.IS_DELETED).equalTo(false).and(col("status").notEqual("cancelled")));
    Dataset<Row> carts = AbandonedCarts.detect(clicks, liveOrders, products, settings, asOf);
    TableAccess.of(spark, tables).forChange(Tables.GOLD_ABANDONED_CARTS).as("t")
        .merge(carts.as("s"), "t.session_id = s.session_id")
        .whenNotMatched().insertAll()
        .execute();

    Dataset<Row> segments = CustomerSegments.of(Rfm.scores(orders, asOf),
        CategoryAffinity.of(clicks, products, asOf, settings.behaviourWindowMillis()),
        TableAccess.of(spark, tables).read(Tables.GOLD_ABANDONED_CARTS), asOf,
        settings.behaviourWindowMillis()).localCheckpoint();
    TableAccess.of(spark, tables).forChange(Tables.GOLD_CUSTOMER_SEGMENTS).as("t")
        .merge(segments.as("s"), "t.customer_id = s.customer_id AND t.segment = s.segment")
        .whenMatched().updateExpr(keepEntry())
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource().delete()
        .execute();
  }

  /** Every column from the new row except the key and entered_at. */
  private static Map<String, String> keepEntry() {
    Map<String, String> set = new LinkedHashMap<>();
    for (String f : CustomerSegments.SCHEMA.fieldNames()) {
      if (!List.of("customer_id", "segment", "entered_at").contains(f)) set.put(f, "s." + f);
    }
    return set;
  }
}
