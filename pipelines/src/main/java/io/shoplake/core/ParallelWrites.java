package io.shoplake.core;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes to independent Delta tables from one micro-batch, side by side. Most of a small
 * commit is driver-side waiting (log listing, state refresh, commit file), so overlapping
 * the tables' commits shortens the batch far more than it adds work.
 */
public final class ParallelWrites {
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
    List<Future<Void>> futures = POOL.invokeAll(writes);
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
