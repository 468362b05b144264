package io.shoplake.testing;

import io.shoplake.core.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** silver.clickstream rows in the table's contract schema: {@code SilverClicks.of().view(...).addToCart(...).write(...)}. */
public final class SilverClicks {
  public static final StructType SCHEMA = new StructType()
      .add("event_id", DataTypes.StringType)
      .add("session_id", DataTypes.StringType)
      .add("client_session_id", DataTypes.StringType)
      .add("customer_id", DataTypes.LongType)
      .add("product_id", DataTypes.LongType)
      .add("event_type", DataTypes.StringType)
      .add("channel", DataTypes.StringType)
      .add("event_ts", DataTypes.TimestampType)
      .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
      .add("_topic", DataTypes.StringType)
      .add("_partition", DataTypes.IntegerType)
      .add("_offset", DataTypes.LongType)
      .add("_ingested_at", DataTypes.TimestampType);

  private final List<Row> rows = new ArrayList<>();

  public static SilverClicks of() {
    return new SilverClicks();
  }

  public SilverClicks view(String session, Long customer, long product, String iso) {
    return event(session, customer, product, "view", iso);
  }

  public SilverClicks addToCart(String session, Long customer, long product, String iso) {
    return event(session, customer, product, "add_to_cart", iso);
  }

  public SilverClicks removeFromCart(String session, Long customer, long product, String iso) {
    return event(session, customer, product, "remove_from_cart", iso);
  }

  public SilverClicks purchase(String session, Long customer, String iso) {
    return event(session, customer, null, "purchase", iso);
  }

  /** {@code n} views of a product by anonymous visitors, one session each, at one time. */
  public SilverClicks views(int n, long product, String iso) {
    for (int i = 0; i < n; i++) view("v-" + product + "-" + iso + "-" + i, null, product, iso);
    return this;
  }

  public SilverClicks carts(int n, long product, String iso) {
    for (int i = 0; i < n; i++) addToCart("c-" + product + "-" + iso + "-" + i, null, product, iso);
    return this;
  }

  public SilverClicks event(String session, Long customer, Long product, String type, String iso) {
    Timestamp at = Timestamp.from(Instant.parse(iso));
    long offset = rows.size();
    rows.add(RowFactory.create("e" + offset, session, "client-" + session, customer, product, type, "web", at,
        scala.collection.immutable.Map$.MODULE$.empty(), "clickstream", 0, offset, at));
    return this;
  }

  public void write(SparkSession spark, Tables tables) {
    spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append")
        .save(tables.path(Tables.SILVER_CLICKSTREAM));
  }

}
