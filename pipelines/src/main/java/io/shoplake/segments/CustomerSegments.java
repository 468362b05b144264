package io.shoplake.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Segment memberships, one row per customer × segment. A customer has at most one RFM segment
 * (type {@code rfm}), at most one {@code affinity:<category>} (type {@code affinity}) and
 * possibly {@code cart_abandoner} (type {@code behaviour}). Columns that do not apply to a
 * type are null.
 */
public final class CustomerSegments {
  public static final String CART_ABANDONER = "cart_abandoner";

  public static final StructType SCHEMA = new StructType()
      .add("customer_id", DataTypes.LongType, false)
      .add("segment", DataTypes.StringType, false)
      .add("segment_type", DataTypes.StringType, false)
      .add("recency_score", DataTypes.IntegerType)
      .add("frequency_score", DataTypes.IntegerType)
      .add("monetary_score", DataTypes.IntegerType)
      .add("last_order_at", DataTypes.TimestampType)
      .add("frequency", DataTypes.LongType)
      .add("monetary", DataTypes.createDecimalType(22, 2))
      .add("category", DataTypes.StringType)
      // When the customer entered this segment; kept while they stay in it.
      .add("entered_at", DataTypes.TimestampType, false)
      // The computation that last wrote the row, and the same instant in epoch ms.
      .add("as_of", DataTypes.TimestampType, false)
      .add("version", DataTypes.LongType, false);

  private CustomerSegments() {}

  /**
   * @param rfm {@link Rfm#scores}
   * @param affinity {@link CategoryAffinity#of}
   * @param carts gold.abandoned_carts
   */
  public static Dataset<Row> of(Dataset<Row> rfm, Dataset<Row> affinity, Dataset<Row> carts, Instant asOf,
      long behaviourWindowMillis) {
    Dataset<Row> rfmRows = rfm.withColumn("segment_type", lit("rfm"));
    Dataset<Row> affinityRows = affinity.select(col("customer_id"), col("category"),
        concat(lit("affinity:"), col("category")).as("segment"), lit("affinity").as("segment_type"));
    Dataset<Row> abandoners = carts
        .filter(col("customer_id").isNotNull()
            .and(col("abandoned_at").gt(lit(Timestamp.from(asOf.minusMillis(behaviourWindowMillis)))))
            .and(col("abandoned_at").leq(lit(Timestamp.from(asOf)))))
        .select("customer_id").distinct()
        .select(col("customer_id"), lit(CART_ABANDONER).as("segment"), lit("behaviour").as("segment_type"));
    Timestamp at = Timestamp.from(asOf);
    long version = asOf.toEpochMilli();
    return conform(rfmRows, at, version).unionByName(conform(affinityRows, at, version))
        .unionByName(conform(abandoners, at, version));
  }

  /** The schema's columns in its order: those the rows lack are null; entered_at = as_of = now. */
  private static Dataset<Row> conform(Dataset<Row> rows, Timestamp at, long version) {
    java.util.Set<String> has = java.util.Set.of(rows.columns());
    return rows.select(Arrays.stream(SCHEMA.fields()).map(f -> switch (f.name()) {
      case "entered_at", "as_of" -> lit(at).as(f.name());
      case "version" -> lit(version).as(f.name());
      default -> (has.contains(f.name()) ? col(f.name()) : lit(null)).cast(f.dataType()).as(f.name());
    }).toArray(Column[]::new));
  }
}
