package io.shoplake.chaos;

import io.shoplake.devstack.DevstackProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shop, kept busy for the whole run. A database restart ends the simulator's connection,
 * and with it the simulator, as it would end a shop's request; it is started again (it reads
 * the shop's state back from the database) for the rest of the run.
 */
final class SimulatorProcess {
  private final Path stateDir;
  private final Path log;
  private final int rate;
  private final long seed;
  private final List<String> failures = new ArrayList<>();
  private Process process;
  private int starts;
  private long startedAt;

  SimulatorProcess(Path stateDir, Path log, int rate, long seed) {
    this.stateDir = stateDir;
    this.log = log;
    this.rate = rate;
    this.seed = seed;
  }

  void startFor(Duration duration) throws IOException {
    // Another seed per start: the same one would replay the same customers' moves.
    process = DevstackProcess.spawn(log, "simulate", "--state-dir", stateDir.toString(),
        "--duration", Math.max(1, duration.toSeconds()) + "s", "--rate", Integer.toString(rate),
        "--seed", Long.toString(seed + starts), "--until-stdin-closes");
    starts++;
    startedAt = System.nanoTime();
  }

  /** Between two starts while the database is still down: a JVM start is not free on two cores. */
  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(5);

  /** Starts it again for {@code left} if it ended with an error; a run that ended with 0 finished. */
  void restartIfDied(Duration left) throws IOException {
    if (process == null || process.isAlive() || process.exitValue() == 0 || left.toSeconds() < 5
        || System.nanoTime() - startedAt < RESTART_BACKOFF.toNanos()) {
      return;
    }
    startFor(left);
  }

  /** Ends it between two actions (stdin closed), or kills it. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) return;
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      process.destroy();
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      failures.add("the simulator did not stop within 60 s of being asked; see " + log);
      process.destroyForcibly().waitFor();
    }
  }

  List<String> failures() {
    return failures;
  }
}
