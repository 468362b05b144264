package io.shoplake.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Writes to independent Delta tables from one micro-batch, side by side. Most of a small
 * commit is driver-side waiting (log listing, state refresh, commit file), so overlapping
 * the tables' commits shortens the batch far more than it adds work.
 */
public final class ParallelWrites {
  /**
   * Spark job properties a write takes from the batch that starts it. Spark hands them to a
   * new thread only when the thread is created, so without this the pool's threads kept those
   * of whichever batch created them: another job's scheduler pool (fair share), query, batch id
   * and call site (the name the UI gives the job), and the Shoplake job its table accesses are
   * recorded for.
   */
  private static final List<String> INHERITED = List.of("spark.scheduler.pool", "spark.job.description", "spark.jobGroup.id",
      "spark.job.interruptOnCancel", "sql.streaming.queryId", "streaming.sql.batchId", "spark.sql.execution.id",
      "spark.sql.execution.root.id", "callSite.short", "callSite.long", TableAccess.JOB_PROPERTY);

  private static final ExecutorService POOL = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "shoplake-table-writer");
    t.setDaemon(true);
    return t;
  });

  private ParallelWrites() {}

  /** Runs every write and waits for all; the first failure is rethrown once all have ended. */
  public static void runAll(List<Callable<Void>> writes) throws Exception {
    if (writes.size() == 1) {
      writes.get(0).call();
      return;
    }
    SparkContext sc = SparkSession.active().sparkContext();
    Map<String, String> caller = new HashMap<>();
    for (String key : INHERITED) caller.put(key, sc.getLocalProperty(key));
    List<Callable<Void>> asCaller = new ArrayList<>();
    for (Callable<Void> write : writes) {
      asCaller.add(() -> {
        // A null value clears what the thread kept from an earlier batch.
        caller.forEach(sc::setLocalProperty);
        return write.call();
      });
    }
    List<Future<Void>> futures = POOL.invokeAll(asCaller);
    Exception first = null;
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) first = e.getCause() instanceof Exception c ? c : e;
      }
    }
    if (first != null) throw first;
  }
}
