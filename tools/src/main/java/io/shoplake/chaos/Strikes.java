package io.shoplake.chaos;

import io.shoplake.chaos.ChaosPlan.Fault;
import io.shoplake.devstack.DevstackProcess;
import io.shoplake.devstack.Outage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Carries out a {@link ChaosPlan} against the running pipeline and devstack: kills on this
 * thread, outages one after the other on another (an outage lasts; kills go on meanwhile),
 * keeping the simulator alive throughout. Counts what it did, and when each fault struck and
 * ended, for the recoveries {@link Progress} measures.
 */
final class Strikes {
  /** A fault, when it struck and when it was over (nanoTime), and the probe showing its layer at work. */
  record Struck(String fault, Progress.Probe probe, long from, long over) {}

  private static final Duration OUTAGE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMMIT_WAIT = Duration.ofSeconds(60);

  private final DevstackProcess devstack;
  private final PipelineProcess pipeline;
  private final SimulatorProcess simulator;
  private final CommitWatch commits;
  private final Duration outageLength;
  private final PrintStream out;
  private final List<Struck> struck = new ArrayList<>();
  private final Map<Outage, Integer> outagesDone = new EnumMap<>(Outage.class);
  private final List<String> failures = new ArrayList<>();
  private int kills;
  private int killsAfterCommit;
  private int killsMidBatch;

  Strikes(DevstackProcess devstack, PipelineProcess pipeline, SimulatorProcess simulator, CommitWatch commits,
      Duration outageLength, PrintStream out) {
    this.devstack = devstack;
    this.pipeline = pipeline;
    this.simulator = simulator;
    this.commits = commits;
    this.outageLength = outageLength;
    this.out = out;
  }

  /** Strikes each fault at its time after {@code start} and returns once the run's {@code duration} is over. */
  void carryOut(ChaosPlan plan, long start, Duration duration) throws Exception {
    ExecutorService outageThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "chaos-outage"));
    List<Future<?>> outages = new ArrayList<>();
    try {
      for (Fault fault : plan.faults()) {
        sleepUntil(start + fault.at().toNanos(), start, duration);
        if (fault.kind() == Fault.Kind.OUTAGE) {
          outages.add(outageThread.submit(() -> outage(fault.outage(), start)));
        } else {
          kill(fault.kind() == Fault.Kind.KILL_AFTER_COMMIT, start);
        }
      }
      for (Future<?> f : outages) f.get();
      sleepUntil(start + duration.toNanos(), start, duration);
    } finally {
      outageThread.shutdownNow();
    }
  }

  private void kill(boolean afterCommit, long start) throws Exception {
    boolean onCommit = afterCommit && commits.awaitNextCommit(COMMIT_WAIT);
    long at = System.nanoTime();
    pipeline.kill();
    int inFlight = commits.batchesInFlight();
    synchronized (this) {
      kills++;
      if (onCommit) killsAfterCommit++;
      if (inFlight > 0) killsMidBatch++;
      struck.add(new Struck("kill " + kills, Progress.Probe.INGEST, at, at));
    }
    out.printf("  %5ds  kill %d%s: %d batches in flight%n", seconds(at - start), kills,
        onCommit ? " right after a Delta commit" : "", inFlight);
    pipeline.start();
  }

  private Void outage(Outage outage, long start) {
    long at = System.nanoTime();
    out.printf("  %5ds  outage: %s for %ds%n", seconds(at - start), outage.description(), outageLength.toSeconds());
    try {
      devstack.outage(outage, outageLength, OUTAGE_TIMEOUT);
    } catch (Exception e) {
      synchronized (this) {
        failures.add(outage.description() + ": " + e.getMessage());
      }
      return null;
    }
    long over = System.nanoTime();
    synchronized (this) {
      outagesDone.merge(outage, 1, Integer::sum);
      struck.add(new Struck("outage " + outage.id(), probeOf(outage), at, over));
    }
    out.printf("  %5ds  back: %s%n", seconds(over - start), outage.description());
    return null;
  }

  /** The layer each outage stops: ingest for the broker and the store, CDC for the database, Redis' publishes. */
  private static Progress.Probe probeOf(Outage outage) {
    return switch (outage) {
      case KAFKA, S3 -> Progress.Probe.INGEST;
      case POSTGRES, DEBEZIUM -> Progress.Probe.CDC;
      case REDIS -> Progress.Probe.SERVED;
    };
  }

  /** Sleeps until {@code nanos}, restarting the simulator if it died before the run's end (a database restart ends its connection). */
  private void sleepUntil(long nanos, long start, Duration duration) throws Exception {
    while (System.nanoTime() < nanos) {
      simulator.restartIfDied(Duration.ofNanos(start + duration.toNanos() - System.nanoTime()));
      Thread.sleep(Math.max(1, Math.min(500, (nanos - System.nanoTime()) / 1_000_000)));
    }
  }

  /** Per fault, the time until its layer moved again; the faults after which it never did go to {@code never}. */
  synchronized Map<String, Duration> recoveries(Progress progress, List<String> never) {
    Map<String, Duration> recoveries = new LinkedHashMap<>();
    for (Struck s : struck) {
      progress.recovery(s.probe(), s.from(), s.over())
          .ifPresentOrElse(d -> recoveries.put(s.fault(), d), () -> never.add(s.fault()));
    }
    return recoveries;
  }

  synchronized int kills() {
    return kills;
  }

  synchronized int killsAfterCommit() {
    return killsAfterCommit;
  }

  synchronized int killsMidBatch() {
    return killsMidBatch;
  }

  synchronized Map<Outage, Integer> outagesDone() {
    return new EnumMap<>(outagesDone);
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  private static long seconds(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(nanos);
  }
}
