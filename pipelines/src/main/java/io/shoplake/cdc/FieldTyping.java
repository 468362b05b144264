package io.shoplake.cdc;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Turns one field of a Debezium row image (read as text) into its silver type, using the
 * field's Connect schema when the event carries one ({@code schema} is null otherwise), and
 * says whether the source type still fits the silver column.
 *
 * <p>Without a schema, Debezium's defaults are assumed: {@code timestamp} columns arrive as
 * epoch microseconds, {@code date} columns as epoch days, {@code timestamptz} as ISO text,
 * numerics as text ({@code decimal.handling.mode=string}).
 */
final class FieldTyping {
  private static final String DIGITS = "^-?[0-9]+$";
  private static final UserDefinedFunction SCALED_DECIMAL = functions.udf(
      (UDF2<String, String, String>) FieldTyping::scaledDecimal, DataTypes.StringType);
  private static final UserDefinedFunction PLACES = functions.udf(
      (UDF1<String, Integer>) FieldTyping::decimalPlaces, DataTypes.IntegerType);

  private final Column schema;
  private final Column text;
  private final DataType target;

  FieldTyping(Column schema, Column text, DataType target) {
    this.schema = schema;
    this.text = text;
    this.target = target;
  }

  /** Debezium's precise decimals: base64 of the unscaled two's-complement integer. */
  static String scaledDecimal(String base64, String scale) {
    if (base64 == null || scale == null) return null;
    try {
      byte[] unscaled = Base64.getDecoder().decode(base64);
      return new BigDecimal(new BigInteger(unscaled), Integer.parseInt(scale)).toPlainString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Column logical() {
    return schema.getField("name");
  }

  private Column schemaless() {
    return schema.isNull();
  }

  /** The value as text in the form a cast to the silver type reads. */
  private Column canonicalText() {
    if (target instanceof DecimalType) {
      return when(logical().equalTo(DebeziumEnvelope.DECIMAL),
          SCALED_DECIMAL.apply(text, schema.getField("parameters").getItem("scale"))).otherwise(text);
    }
    return text;
  }

  Column value() {
    if (target instanceof TimestampType) {
      Column number = text.try_cast(DataTypes.LongType);
      return when(logical().equalTo(DebeziumEnvelope.MICRO_TIMESTAMP), timestamp_micros(number))
          .when(logical().equalTo(DebeziumEnvelope.MILLI_TIMESTAMP), timestamp_millis(number))
          .when(logical().equalTo(DebeziumEnvelope.NANO_TIMESTAMP), timestamp_micros(number.divide(1000).cast("long")))
          .when(schemaless().and(text.rlike(DIGITS)), timestamp_micros(number))
          .otherwise(text.try_cast(target));
    }
    if (target instanceof DateType) {
      Column days = functions.date_from_unix_date(text.try_cast(DataTypes.IntegerType));
      return when(logical().equalTo(DebeziumEnvelope.DATE).or(schemaless().and(text.rlike(DIGITS))), days)
          .otherwise(text.try_cast(target));
    }
    return canonicalText().try_cast(target);
  }

  /** False when the event's schema declares a type the silver column cannot hold. */
  Column sourceTypeFits() {
    Column type = schema.getField("type");
    Column fits;
    if (target instanceof ByteType) fits = type.equalTo("int8");
    else if (target instanceof ShortType) fits = type.isin("int8", "int16");
    else if (target instanceof IntegerType) fits = type.isin("int8", "int16", "int32").and(logical().isNull());
    else if (target instanceof LongType) fits = type.isin("int8", "int16", "int32", "int64").and(logical().isNull());
    else if (target instanceof DecimalType d) {
      Column scale = schema.getField("parameters").getItem("scale").try_cast(DataTypes.IntegerType);
      fits = logical().equalTo(DebeziumEnvelope.DECIMAL).and(scale.leq(d.scale()))
          .or(type.isin("int8", "int16", "int32", "int64").and(logical().isNull()))
          .or(type.equalTo("string"));
    } else if (target instanceof DoubleType || target instanceof FloatType) {
      fits = type.isin("float32", "float64", "int8", "int16", "int32", "int64");
    } else if (target instanceof BooleanType) fits = type.equalTo("boolean");
    else if (target instanceof TimestampType) fits = type.isin("int64", "string");
    else if (target instanceof DateType) fits = type.isin("int32", "string");
    else fits = lit(true);
    return schemaless().or(coalesce(fits, lit(false)));
  }

  /**
   * False when the cast to the silver decimal would silently drop digits (more places than its
   * scale). Counted on the exact number, not on a cast to a wide decimal, which would itself round
   * away any places past its own scale.
   */
  Column lossless() {
    if (!(target instanceof DecimalType d)) return lit(true);
    return coalesce(PLACES.apply(canonicalText()).leq(d.scale()), lit(true));
  }

  /** The fewest decimal places that hold the number {@code text} exactly; null when it is no number. */
  static Integer decimalPlaces(String text) {
    if (text == null) return null;
    try {
      return Math.max(new BigDecimal(text.trim()).stripTrailingZeros().scale(), 0);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  Column sourceTypeName() {
    return coalesce(logical(), schema.getField("type"), lit("json"));
  }

  /** Silver DDL type for a new field, from its Connect schema (SQL over {@code fieldSchemaSql}). */
  static String silverTypeSql(String fs) {
    return "CASE WHEN " + fs + " IS NULL THEN 'string'"
        + " WHEN " + fs + ".name = '" + DebeziumEnvelope.DECIMAL + "' THEN concat('decimal(', coalesce("
        + fs + ".parameters['connect.decimal.precision'], '38'), ',', " + fs + ".parameters['scale'], ')')"
        + " WHEN " + fs + ".name IN ('" + DebeziumEnvelope.MICRO_TIMESTAMP + "', '" + DebeziumEnvelope.MILLI_TIMESTAMP
        + "', '" + DebeziumEnvelope.NANO_TIMESTAMP + "', 'io.debezium.time.ZonedTimestamp') THEN 'timestamp'"
        + " WHEN " + fs + ".name = '" + DebeziumEnvelope.DATE + "' THEN 'date'"
        + " WHEN " + fs + ".type IN ('int8', 'int16') THEN 'smallint'"
        + " WHEN " + fs + ".type = 'int32' THEN 'int'"
        + " WHEN " + fs + ".type = 'int64' THEN 'bigint'"
        + " WHEN " + fs + ".type = 'float32' THEN 'float'"
        + " WHEN " + fs + ".type = 'float64' THEN 'double'"
        + " WHEN " + fs + ".type = 'boolean' THEN 'boolean'"
        + " ELSE 'string' END";
  }
}
