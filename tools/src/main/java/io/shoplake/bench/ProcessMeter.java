package io.shoplake.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * CPU time and resident memory of the processes a benchmark runs, by group (the pipeline JVM,
 * the devstack's JVM, Kafka, PostgreSQL, Redis, the simulator), read from the OS (Linux /proc).
 * A group is every process a rule matches and their descendants, so PostgreSQL's backends count
 * with the server. A process that ended keeps the CPU it was last seen with.
 */
final class ProcessMeter {
  /** One group: its name and which processes start it. */
  record Group(String name, Predicate<ProcessHandle> root) {}

  /** CPU seconds so far and resident memory now, of one group. */
  record Reading(double cpuSeconds, long rssBytes) {}

  private final List<Group> groups;
  private final Map<Long, Double> cpuByPid = new HashMap<>();
  private final Map<Long, String> groupByPid = new HashMap<>();

  ProcessMeter(List<Group> groups) {
    this.groups = groups;
  }

  static Predicate<ProcessHandle> is(long pid) {
    return p -> p.pid() == pid;
  }

  /** Matches the process whose id {@code pidFile} holds (the devstack writes one per service). */
  static Predicate<ProcessHandle> pidIn(Path pidFile) {
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return is(pid);
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read the process id in " + pidFile, e);
    }
  }

  /**
   * CPU seconds every process on the machine has used since boot (user, nice, system, irq,
   * softirq, steal: not idle or I/O wait), from /proc/stat, in Linux's USER_HZ of 100 per second.
   */
  static double machineBusySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
      return busy / 100.0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }

  /** Reads every group now. */
  synchronized Map<String, Reading> read() {
    Map<String, Long> rss = new LinkedHashMap<>();
    groups.forEach(g -> rss.put(g.name(), 0L));
    ProcessHandle.allProcesses().forEach(p -> {
      String group = groupOf(p);
      if (group == null) return;
      groupByPid.put(p.pid(), group);
      p.info().totalCpuDuration().map(Duration::toNanos)
          .ifPresent(nanos -> cpuByPid.merge(p.pid(), nanos / 1e9, Math::max));
      rss.merge(group, residentBytes(p.pid()).orElse(0L), Long::sum);
    });
    Map<String, Reading> readings = new LinkedHashMap<>();
    for (Group g : groups) {
      double cpu = cpuByPid.entrySet().stream().filter(e -> g.name().equals(groupByPid.get(e.getKey())))
          .mapToDouble(Map.Entry::getValue).sum();
      readings.put(g.name(), new Reading(cpu, rss.get(g.name())));
    }
    return readings;
  }

  private String groupOf(ProcessHandle p) {
    String known = groupByPid.get(p.pid());
    if (known != null) return known;
    for (ProcessHandle at = p; at != null; at = at.parent().orElse(null)) {
      String parentGroup = groupByPid.get(at.pid());
      if (parentGroup != null && at != p) return parentGroup;
      for (Group g : groups) if (g.root().test(at)) return g.name();
    }
    return null;
  }

  /** VmRSS from /proc/PID/status; empty once the process is gone. */
  private static Optional<Long> residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
