package io.shoplake.serving;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.shoplake.cdc.CdcTableSpec;
import io.shoplake.cdc.DebeziumEnvelope;
import java.util.ArrayList;
import java.util.List;
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
   * From Kafka records ({@code key} and {@code value} as bytes or text) to {@code product_id,
   * location_id, available, version, source_ts_ms, readable}. A record the lakehouse path would
   * not apply (unreadable, no LSN, no key, a key that is not UTF-8, a value of the wrong type,
   * a drop or fail expectation of {@code inventory} broken) comes out with {@code readable =
   * false}: the hot path skips and counts it, and silver quarantines it with its reason.
   */
  public static Dataset<Row> fromCdc(Dataset<Row> kafka, CdcTableSpec inventory) {
    Column parsed = from_json(col("value").cast("string"), DebeziumEnvelope.jsonSchema());
    Dataset<Row> env = kafka.select(parsed.as("e"), col("key").as("_key"));
    // Either JSON shape: schemaless (the envelope itself) or {"schema", "payload"}.
    Column op = coalesce(col("e.payload." + DebeziumEnvelope.OP), col("e." + DebeziumEnvelope.OP));
    Column after = coalesce(col("e.payload." + DebeziumEnvelope.AFTER), col("e." + DebeziumEnvelope.AFTER));
    Column before = coalesce(col("e.payload." + DebeziumEnvelope.BEFORE), col("e." + DebeziumEnvelope.BEFORE));
    Column source = coalesce(col("e.payload." + DebeziumEnvelope.SOURCE), col("e." + DebeziumEnvelope.SOURCE));
    Column deleted = op.equalTo(lit(DebeziumEnvelope.OP_DELETE));
    Column image = when(deleted, before).otherwise(after);
    // The image's fields cast to silver's declared types, under silver's names: the rules read them.
    List<Column> typed = new ArrayList<>();
    for (CdcTableSpec.Column c : inventory.columns()) typed.add(image.getItem(c.name()).try_cast(c.type()).as(c.name()));
    typed.add(op.as("_op"));
    typed.add(source.as("_source"));
    typed.add(col("_key"));
    Dataset<Row> rows = env.select(typed.toArray(Column[]::new));
    Column isDelete = col("_op").equalTo(lit(DebeziumEnvelope.OP_DELETE));
    Column productId = col("product_id");
    Column locationId = col("location_id");
    Column version = col("_source").getField(DebeziumEnvelope.SOURCE_LSN);
    Column available = when(isDelete, lit(0)).otherwise(greatest(col("on_hand").minus(col("reserved")), lit(0)));
    return rows.select(
        productId.as("product_id"),
        locationId.as("location_id"),
        available.cast("int").as("available"),
        version.as("version"),
        col("_source").getField(DebeziumEnvelope.SOURCE_TS_MS).as("source_ts_ms"),
        // Never null: a null here would stop the writer on the record instead of skipping it.
        coalesce(productId.isNotNull().and(locationId.isNotNull()).and(version.isNotNull()).and(available.isNotNull())
            .and(col("_op").isin(DebeziumEnvelope.OP_CREATE, DebeziumEnvelope.OP_UPDATE, DebeziumEnvelope.OP_DELETE,
                DebeziumEnvelope.OP_READ))
            .and(col("_key").isNull().or(call_function("is_valid_utf8", col("_key"))))
            // Deletes are not checked, as in silver: a row that breaks a rule must still be deletable.
            .and(isDelete.or(inventory.expectations().kept())), lit(false))
            .as("readable"));
  }
}
