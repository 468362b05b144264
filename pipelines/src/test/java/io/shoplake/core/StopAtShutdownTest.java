package io.shoplake.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StopAtShutdownTest {
  @Test
  void theStopRunsWithTheRegisteringThreadsClassLoaderAndLeavesTheHookThreadsAsItWas() throws Exception {
    // Under spark-submit the application jar has a loader of its own; the hook thread does not.
    ClassLoader application = new URLClassLoader(new URL[0], getClass().getClassLoader());
    AtomicReference<ClassLoader> seen = new AtomicReference<>();
    AtomicReference<ClassLoader> seenByAThreadItStarts = new AtomicReference<>();
    Runnable stop = StopAtShutdown.withLoader(application, () -> {
      seen.set(Thread.currentThread().getContextClassLoader());
      Thread child = new Thread(() -> seenByAThreadItStarts.set(Thread.currentThread().getContextClassLoader()));
      child.start();
      try {
        child.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    ClassLoader system = ClassLoader.getSystemClassLoader();
    AtomicReference<ClassLoader> after = new AtomicReference<>();
    Thread hook = new Thread(() -> {
      stop.run();
      after.set(Thread.currentThread().getContextClassLoader());
    });
    hook.setContextClassLoader(system);
    hook.start();
    hook.join();
    assertThat(seen.get()).isSameAs(application);
    assertThat(seenByAThreadItStarts.get()).isSameAs(application);
    assertThat(after.get()).isSameAs(system);
  }
}
