package io.shoplake.cdc;

import static io.shoplake.cdc.DebeziumEnvelope.AFTER;
import static io.shoplake.cdc.DebeziumEnvelope.BEFORE;
import static io.shoplake.cdc.DebeziumEnvelope.OP;
import static io.shoplake.cdc.DebeziumEnvelope.SOURCE;
import static io.shoplake.quality.ErrorClass.INCOMPATIBLE_TYPE;
import static io.shoplake.quality.ErrorClass.MALFORMED_ENVELOPE;
import static io.shoplake.quality.ErrorClass.MISSING_IMAGE;
import static io.shoplake.quality.ErrorClass.MISSING_LSN;
import static io.shoplake.quality.ErrorClass.NULL_KEY;
import static io.shoplake.quality.ErrorClass.TRUNCATE_NOT_APPLIED;
import static io.shoplake.quality.ErrorClass.UNKNOWN_OP;
import static io.shoplake.quality.ErrorClass.UNSTORABLE_COLUMN;
import static io.shoplake.quality.ErrorClass.WRONG_TYPE;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import io.shoplake.core.CdcColumns;
import io.shoplake.core.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import io.shoplake.quality.RowChecks;
import org.apache.spark.sql.types.DataTypes;

/**
 * Decodes bronze rows of a Debezium CDC topic into typed changes of one table, and says for
 * each row that cannot be applied why not. Pure function of DataFrames.
 *
 * <p>Output: the spec's columns (from {@code after}, or {@code before} for deletes, falling
 * back to the Kafka key for key columns), {@code _op, _lsn, _tx_id, _source_ts, _snapshot},
 * the Kafka coordinates and raw value, and {@code error_class}/{@code error_message} (null
 * when the change is valid). Tombstones (null values) must be removed before.
 */
public final class CdcDecoder {
  /**
   * Not an error: a Kafka tombstone (null value) only tells compaction to forget a key, the
   * 'd' event before it carries the delete. Counted, never applied nor quarantined.
   */
  public static final String KAFKA_TOMBSTONE = "KAFKA_TOMBSTONE";
  /** Fields of the row image that silver has no column for yet and can add: structs of name and ddl type. */
  public static final String NEW_COLUMNS = "_new_columns";
  /**
   * Characters Delta refuses in a column name unless the table maps columns by id: a field the
   * source gained with one of them cannot become a silver column.
   */
  private static final String UNSTORABLE_NAME = "[ ,;{}()\\n\\t=]";

  private CdcDecoder() {}

  public static Dataset<Row> decode(Dataset<Row> bronze, CdcTableSpec spec) {
    Column raw = from_json(col("value"), DebeziumEnvelope.jsonSchemaWithoutBefore(), Map.of("mode", "PERMISSIVE"));
    Column keyMap = from_json(col("key"), DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
    Dataset<Row> parsed = bronze.withColumn("_raw", raw)
        .withColumn("_env", when(col("_raw.payload").isNotNull(), col("_raw.payload"))
            .when(col("_raw.op").isNotNull(), struct(col("_raw.after").as(AFTER), col("_raw.op").as(OP),
                col("_raw.source").as(SOURCE))));
    // Parsed a second time for deletes only: the conditional keeps the other rows from paying for it.
    Column beforeOnly = from_json(col("value"), DebeziumEnvelope.beforeImageSchema(), Map.of("mode", "PERMISSIVE"));
    Column beforeImage = when(col("_raw.payload").isNotNull(), beforeOnly.getField("payload").getField(BEFORE))
        .otherwise(beforeOnly.getField(BEFORE));

    // Each stage below materialises what the next one reads many times: Spark does not share
    // higher-order functions (the Connect-schema lookups) between expressions, so inlined they
    // were evaluated and planned once per use, hundreds of times per row.
    Column op = col("_env." + OP);
    Column isDelete = op.equalTo(DebeziumEnvelope.OP_DELETE);
    String imageField = "CASE WHEN _env.op = 'd' THEN 'before' ELSE 'after' END";
    Dataset<Row> imaged = parsed
        .withColumn(IMAGE, when(isDelete, beforeImage).otherwise(col("_env." + AFTER)))
        .withColumn(IMAGE_SCHEMA, expr("get(filter(_raw.schema.fields, f -> f.field = " + imageField + "), 0).fields"));
    Column image = col(IMAGE);
    Column lsn = col("_env." + SOURCE).getField(DebeziumEnvelope.SOURCE_LSN);

    List<CdcTableSpec.Column> columns = spec.columns();
    List<Column> fieldInputs = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      CdcTableSpec.Column c = columns.get(i);
      Column text = image.getItem(c.name());
      // The Kafka key is parsed only for the rare image without its key: coalesce stops at the first non-null.
      if (spec.keys().contains(c.name())) text = coalesce(text, keyMap.getItem(c.name()));
      fieldInputs.add(text.as(textOf(i)));
      fieldInputs.add(fieldSchema(c.name()).as(schemaOf(i)));
    }
    fieldInputs.add(unknownFields(spec).as(UNKNOWN));
    Dataset<Row> fielded = imaged.select(withAll(imaged, fieldInputs));

    List<Column> typedValues = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      FieldTyping typing = new FieldTyping(col(schemaOf(i)), col(textOf(i)), columns.get(i).type());
      typedValues.add(typing.value().as(valueOf(i)));
      typedValues.add(typing.sourceTypeFits().as(fitsOf(i)));
    }
    Dataset<Row> typedRows = fielded.select(withAll(fielded, typedValues));

    List<Column> typed = new ArrayList<>();
    List<Column> typeErrors = new ArrayList<>();
    List<Column> incompatible = new ArrayList<>();
    List<Column> nullKeys = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      CdcTableSpec.Column c = columns.get(i);
      Column text = col(textOf(i));
      Column value = col(valueOf(i));
      Column fits = col(fitsOf(i));
      FieldTyping typing = new FieldTyping(col(schemaOf(i)), text, c.type());
      typed.add(value.as(c.name()));
      typeErrors.add(when(text.isNotNull().and(value.isNull()).and(fits),
          concat(lit("after." + c.name() + ": expected " + c.type().simpleString() + ", got '"), text, lit("'"))));
      incompatible.add(when(text.isNotNull().and(not(fits.and(typing.lossless()))),
          concat(lit("after." + c.name() + ": source "), typing.sourceTypeName(), lit(" value '"), text,
              lit("' does not fit silver type " + c.type().simpleString() + " (type narrowed or changed at the source)"))));
      if (spec.keys().contains(c.name())) {
        nullKeys.add(when(value.isNull(), lit("key column " + c.name() + " is null")));
      }
    }
    Dataset<Row> problems = typedRows.select(withAll(typedRows, List.of(
        concat_ws("; ", typeErrors.toArray(Column[]::new)).as("_wrong_type"),
        concat_ws("; ", incompatible.toArray(Column[]::new)).as("_incompatible"),
        concat_ws("; ", nullKeys.toArray(Column[]::new)).as("_null_key"))));
    Column wrongType = col("_wrong_type");
    Column incompatibleType = col("_incompatible");
    Column nullKey = col("_null_key");
    Column knownOp = op.isin(DebeziumEnvelope.OP_CREATE, DebeziumEnvelope.OP_UPDATE,
        DebeziumEnvelope.OP_DELETE, DebeziumEnvelope.OP_READ);

    RowChecks checks = new RowChecks()
        .require(col("value").isNotNull(), KAFKA_TOMBSTONE, "Kafka tombstone: nothing to apply")
        .require(col("_env").isNotNull().and(op.isNotNull()), MALFORMED_ENVELOPE,
            "not a Debezium change event (no 'op' field)")
        .require(op.notEqual(DebeziumEnvelope.OP_TRUNCATE), TRUNCATE_NOT_APPLIED, "TRUNCATE of " + spec.table()
            + " is not applied: silver keeps the rows it emptied; snapshot the table again to empty them")
        .require(knownOp, UNKNOWN_OP, concat(lit("unsupported op '"), op, lit("'")))
        .require(image.isNotNull(), MISSING_IMAGE, concat(lit("op '"), op, lit("' without its row image")))
        .require(lsn.isNotNull(), MISSING_LSN, "source.lsn missing or not a number")
        .require(incompatibleType.equalTo(lit("")), INCOMPATIBLE_TYPE,
            when(isDelete, namingBeforeImage(incompatibleType)).otherwise(incompatibleType))
        .require(wrongType.equalTo(lit("")), WRONG_TYPE, when(isDelete, namingBeforeImage(wrongType)).otherwise(wrongType))
        .require(nullKey.equalTo(lit("")), NULL_KEY, nullKey)
        .require(isDelete.or(expr("coalesce(size(" + UNSTORABLE + "), 0) <= 0")), UNSTORABLE_COLUMN,
            concat(lit("after."), expr("array_join(" + UNSTORABLE + ", ', after.')"), lit(": the source gained a column"
                + " whose name Delta cannot store (a space or one of ,;{}()=, a newline or a tab), and this change gives"
                + " it a value; rename the column at the source, then replay the change from quarantine")));

    List<Column> out = new ArrayList<>(typed);
    out.add(op.as(CdcColumns.OP));
    out.add(lsn.as(CdcColumns.LSN));
    out.add(col("_env." + SOURCE).getField(DebeziumEnvelope.SOURCE_TX_ID).as(CdcColumns.TX_ID));
    out.add(timestamp_millis(col("_env." + SOURCE).getField(DebeziumEnvelope.SOURCE_TS_MS))
        .as(CdcColumns.SOURCE_TS));
    out.add(coalesce(col("_env." + SOURCE).getField(DebeziumEnvelope.SOURCE_SNAPSHOT), lit("false"))
        .notEqual(lit("false")).as(CdcColumns.SNAPSHOT));
    out.add(col("topic"));
    out.add(col("partition"));
    out.add(col("offset"));
    out.add(col("key"));
    out.add(col("value").cast("binary").as("raw_value"));
    out.add(coalesce(newColumns(), array().cast(NEW_COLUMNS_TYPE)).as(NEW_COLUMNS));
    out.add(checks.errorClass().as("error_class"));
    out.add(checks.errorMessage().as("error_message"));
    return checks.evaluated(problems).select(out.toArray(Column[]::new));
  }

  private static final String IMAGE = "_image";
  /** Names of the image's fields silver has no column for (null when there are none). */
  private static final String UNKNOWN = "_unknown_fields";
  /** Those of {@link #UNKNOWN} Delta cannot store that the change gives a value. */
  private static final String UNSTORABLE = "filter(" + UNKNOWN + ", n -> n RLIKE " + Sql.literal(UNSTORABLE_NAME)
      + " AND " + IMAGE + "[n] IS NOT NULL)";
  private static final String NEW_COLUMNS_TYPE = "array<struct<name:string,type:string>>";
  /** The Connect schemas of the image's fields (null for schemaless events). */
  private static final String IMAGE_SCHEMA = "_image_schema";

  private static String textOf(int column) {
    return "_text_" + column;
  }

  private static String schemaOf(int column) {
    return "_schema_" + column;
  }

  private static String valueOf(int column) {
    return "_value_" + column;
  }

  private static String fitsOf(int column) {
    return "_fits_" + column;
  }

  private static Column[] withAll(Dataset<Row> rows, List<Column> added) {
    List<Column> all = new ArrayList<>();
    for (String name : rows.columns()) all.add(Sql.named(name));
    all.addAll(added);
    return all.toArray(Column[]::new);
  }

  /** Out-of-range indexes read as null (get), as a field may be absent from the schema. */
  private static String fieldSchemaSql(String nameSql) {
    return "get(filter(" + IMAGE_SCHEMA + ", c -> c.field = " + nameSql + "), 0)";
  }

  /** The Connect schema of one image field, null for schemaless events. */
  private static Column fieldSchema(String name) {
    return expr(fieldSchemaSql(Sql.literal(name)));
  }

  /** The names of the image's fields silver has no column for; null when there are none. */
  private static Column unknownFields(CdcTableSpec spec) {
    String known = spec.columns().stream().map(c -> Sql.literal(c.name())).collect(Collectors.joining(", "));
    String knownPresent = spec.columns().stream()
        .map(c -> "CAST(map_contains_key(" + IMAGE + ", " + Sql.literal(c.name()) + ") AS INT)")
        .collect(Collectors.joining(" + "));
    // array_except and higher-order functions run interpreted, per element (Spark 4.2 even builds
    // a SQL conf per element): only rows with more fields than the known ones present reach them.
    return expr("CASE WHEN size(" + IMAGE + ") > " + knownPresent + " THEN array_except(map_keys(" + IMAGE + "), array("
        + known + ")) END");
  }

  /**
   * The unknown fields silver can add, each with the type it will get: from the Connect schema
   * when the event has one, else string (schemaless JSON does not say; declare the column in
   * config to type it).
   */
  private static Column newColumns() {
    return expr("transform(filter(" + UNKNOWN + ", n -> NOT n RLIKE " + Sql.literal(UNSTORABLE_NAME) + "), n -> named_struct("
        + "'name', n, 'type', " + FieldTyping.silverTypeSql(fieldSchemaSql("n")) + "))");
  }

  /** Deletes are read from the before image: say so in the message. */
  private static Column namingBeforeImage(Column message) {
    return org.apache.spark.sql.functions.regexp_replace(message, "(^|; )after\\.", "$1before.");
  }

  /** Drops the error columns of valid changes. */
  public static Dataset<Row> valid(Dataset<Row> decoded) {
    return decoded.filter(col("error_class").isNull()).drop("error_class", "error_message", "raw_value", "key");
  }

  /** Changes that cannot be applied, for quarantine (Kafka tombstones are not among them). */
  public static Dataset<Row> invalid(Dataset<Row> decoded) {
    return decoded.filter(col("error_class").isNotNull().and(col("error_class").notEqual(KAFKA_TOMBSTONE)));
  }
}
