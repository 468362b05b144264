package io.shoplake.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * Runs a command's stop when the JVM is told to end (SIGTERM, Ctrl-C) before Spark's own
 * shutdown hook stops the SparkContext. A plain JVM hook runs beside Spark's, so queries still
 * stopping would fail on a session that is gone and say so at ERROR. Spark registers its hooks
 * with Hadoop's manager, which runs them one priority after another; this one goes first.
 */
public final class StopAtShutdown {
  /** Above Spark's hooks, which run at Hadoop's file-system priority + 30. */
  static final int PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 50;

  private StopAtShutdown() {}

  /**
   * {@code stop} runs first at shutdown; past {@code timeout} the JVM goes on ending without it.
   * It runs with the caller's context class loader: under spark-submit that is the loader of the
   * application jar, where Delta's and Kafka's data sources are registered, while the hook's own
   * thread (and every thread it starts) would have the system loader, which finds neither.
   */
  public static void register(Runnable stop, Duration timeout) {
    ShutdownHookManager.get().addShutdownHook(withLoader(Thread.currentThread().getContextClassLoader(), stop),
        PRIORITY, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  static Runnable withLoader(ClassLoader loader, Runnable action) {
    return () -> {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        action.run();
      } finally {
        thread.setContextClassLoader(before);
      }
    };
  }
}
