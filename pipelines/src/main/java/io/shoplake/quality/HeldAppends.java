package io.shoplake.quality;

import io.shoplake.core.TableAccess;
import io.shoplake.core.TableBootstrap;
import io.shoplake.core.TableDefinition;
import io.shoplake.core.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run's observers hold for a quality table and append all together, off the data path,
 * on a thread that works for no job: what it writes is the runner's, not a job's declared output.
 * An append that fails keeps its items for the next one, which is told that the failed one may
 * have committed anyway (an append's outcome is unknown when its commit call fails), so that it
 * can leave out what the table already has.
 */
final class HeldAppends<T> {
  /** Appends {@code items}; {@code afterFailure}: the last append failed and may have committed part of them. */
  interface Append<T> {
    void append(List<T> items, boolean afterFailure);
  }

  private static final Logger LOG = LoggerFactory.getLogger(HeldAppends.class);

  private final SparkSession spark;
  private final Tables tables;
  private final TableDefinition table;
  private final Append<T> append;
  private final List<T> pending = new ArrayList<>();
  private final Object appending = new Object();
  private boolean lastFailed;
  private boolean tableEnsured;

  HeldAppends(SparkSession spark, Tables tables, TableDefinition table, Append<T> append) {
    this.spark = spark;
    this.tables = tables;
    this.table = table;
    this.append = append;
  }

  void hold(T item) {
    synchronized (pending) {
      pending.add(item);
    }
  }

  /** Appends what is held; on failure keeps it for the next call and rethrows. */
  void flush() {
    synchronized (appending) {
      List<T> items;
      synchronized (pending) {
        items = new ArrayList<>(pending);
        pending.clear();
      }
      if (items.isEmpty()) return;
      try {
        spark.sparkContext().setLocalProperty(TableAccess.JOB_PROPERTY, null);
        if (!tableEnsured) {
          TableBootstrap.ensure(spark, tables, List.of(table));
          tableEnsured = true;
        }
        append.append(items, lastFailed);
        lastFailed = false;
      } catch (RuntimeException e) {
        lastFailed = true;
        synchronized (pending) {
          pending.addAll(0, items);
        }
        throw e;
      }
    }
  }

  /** {@link #flush()}, a failure logged: {@code when} says when what is held is tried again. */
  void flushOrTryAgain(String when) {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Not appended to {}; tried again {}", table.id(), when, e);
    }
  }
}
