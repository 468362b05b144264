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

  /** {@code stop} runs first at shutdown; past {@code timeout} the JVM goes on ending without it. */
  public static void register(Runnable stop, Duration timeout) {
    ShutdownHookManager.get().addShutdownHook(stop, PRIORITY, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
