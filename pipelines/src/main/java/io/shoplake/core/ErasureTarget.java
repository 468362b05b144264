package io.shoplake.core;

import org.apache.spark.sql.SparkSession;

/**
 * A place outside the registry's tables where Shoplake keeps customers: Redis keys, compacted
 * serving topics, trained models. Each module offers its own (see {@code
 * io.shoplake.cli.ErasureTargetProvider}), so that an erasure reaches what other modules keep
 * without the pipelines depending on them.
 */
public interface ErasureTarget {
  record Context(SparkSession spark, Tables tables, long customerId) {}

  /** Names what this target erases, for the report (e.g. "redis segments"). */
  String name();

  /** Erases the customer; returns how many keys, records or rows it removed. Safe to repeat. */
  long erase(Context context) throws Exception;
}
