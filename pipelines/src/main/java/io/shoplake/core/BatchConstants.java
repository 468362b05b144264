package io.shoplake.core;

import static org.apache.spark.sql.functions.udf;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Values that are the same for every row of a batch and differ from one batch to the next:
 * batch ids, ingest, apply and update times.
 *
 * <p>Not {@code lit(...)} nor {@code current_timestamp()}: Spark writes a long or timestamp
 * constant into the Java code it generates, so each batch's code was new and compiled again
 * (in {@code bench freshness}, bronze alone compiled a projection per batch, up to a second of
 * CPU each on two busy cores). Handed to the generated code as a function's result, the value
 * stays out of the code and the compiled class is reused.
 */
public final class BatchConstants {
  private BatchConstants() {}

  public static Column of(long value) {
    return constant(value, DataTypes.LongType);
  }

  public static Column of(Timestamp value) {
    // A copy: the function is serialised with the task, and Timestamp is mutable.
    Timestamp copy = new Timestamp(value.getTime());
    copy.setNanos(value.getNanos());
    return constant(copy, DataTypes.TimestampType);
  }

  /** The driver's clock when the batch's plan is built (what {@code current_timestamp()} gave). */
  public static Column now() {
    return of(Timestamp.from(Instant.now()));
  }

  private static <T> Column constant(T value, DataType type) {
    return udf((UDF0<T>) () -> value, type).asNonNullable().apply();
  }
}
