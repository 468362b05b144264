package io.shoplake.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The pipeline under test: {@code run pipeline --continuous} in its own JVM, killed and started again. */
final class PipelineProcess {
  private final String env;
  private final Map<String, String> settings;
  private final Path log;
  private Process process;
  private int starts;

  PipelineProcess(String env, Map<String, String> settings, Path log) {
    this.env = env;
    this.settings = settings;
    this.log = log;
  }

  synchronized void start() throws Exception {
    process = ChildJvm.start(List.of("run", "pipeline", "--continuous"), env, settings, log);
    starts++;
  }

  /** SIGKILL: no shutdown hook, no flush, whatever the JVM was doing. */
  synchronized void kill() throws InterruptedException {
    if (process != null) process.destroyForcibly().waitFor();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** A continuous run exits only when it gives up (a job failing again and again): that is a failure of the run. */
  synchronized void failIfExited(List<String> failures) {
    if (process != null && !process.isAlive()) {
      String failure = "the pipeline exited on its own with " + process.exitValue() + " (start " + starts + "); see " + log;
      if (!failures.contains(failure)) failures.add(failure);
    }
  }

  /** SIGTERM, as an operator stops it; then force. */
  synchronized void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
