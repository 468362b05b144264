package io.shoplake.serving;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.shoplake.cdc.DebeziumEnvelope;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Inventory CDC records straight from Kafka to available-to-promise, with the source LSN as
 * the version: the same value and version the lakehouse path computes in
 * {@code gold.inventory_availability}, so both paths write the same Redis fields and the
 * versioned writer keeps whichever is newer. Stateless (real-time mode allows no state).
 */
public final class HotAvailability {
  private HotAvailability() {}

  /**
   * From Kafka records ({@code value} as bytes or text) to {@code product_id, location_id,
   * available, version, source_ts_ms, readable}. A record the lakehouse path would quarantine
   * (unreadable, no LSN, no key) comes out with {@code readable = false}: the hot path skips
   * and counts it, and silver quarantines it with its reason.
   */
  public static Dataset<Row> fromCdc(Dataset<Row> kafka) {
    Column parsed = from_json(col("value").cast("string"), DebeziumEnvelope.jsonSchema());
    Dataset<Row> env = kafka.select(parsed.as("e"));
    // Either JSON shape: schemaless (the envelope itself) or {"schema", "payload"}.
    Column op = coalesce(col("e.payload." + DebeziumEnvelope.OP), col("e." + DebeziumEnvelope.OP));
    Column after = coalesce(col("e.payload." + DebeziumEnvelope.AFTER), col("e." + DebeziumEnvelope.AFTER));
    Column before = coalesce(col("e.payload." + DebeziumEnvelope.BEFORE), col("e." + DebeziumEnvelope.BEFORE));
    Column source = coalesce(col("e.payload." + DebeziumEnvelope.SOURCE), col("e." + DebeziumEnvelope.SOURCE));
    Column deleted = op.equalTo(lit(DebeziumEnvelope.OP_DELETE));
    Column image = when(deleted, before).otherwise(after);
    Column productId = image.getItem("product_id").try_cast("long");
    Column locationId = image.getItem("location_id");
    Column onHand = after.getItem("on_hand").try_cast("int");
    Column reserved = after.getItem("reserved").try_cast("int");
    Column version = source.getField(DebeziumEnvelope.SOURCE_LSN);
    Column available = when(deleted, lit(0)).otherwise(greatest(onHand.minus(reserved), lit(0)));
    return env.select(
        productId.as("product_id"),
        locationId.as("location_id"),
        available.cast("int").as("available"),
        version.as("version"),
        source.getField(DebeziumEnvelope.SOURCE_TS_MS).as("source_ts_ms"),
        productId.isNotNull().and(locationId.isNotNull()).and(version.isNotNull()).and(available.isNotNull())
            .and(op.isin(DebeziumEnvelope.OP_CREATE, DebeziumEnvelope.OP_UPDATE, DebeziumEnvelope.OP_DELETE,
                DebeziumEnvelope.OP_READ))
            .as("readable"));
  }
}
