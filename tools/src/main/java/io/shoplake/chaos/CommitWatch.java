package io.shoplake.chaos;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Watches a warehouse on local disk (the S3 endpoint's too: it keeps its objects as files) for
 * Delta commits and streaming checkpoints, so that a kill can land right after a commit and the
 * run can tell whether it caught a batch between its table commit and its checkpoint.
 */
final class CommitWatch {
  private final Path warehouse;

  CommitWatch(Path warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * Returns as soon as any table commits a new version (polling every few milliseconds), or
   * false once {@code timeout} passed without one.
   */
  boolean awaitNextCommit(Duration timeout) throws Exception {
    List<File> logs = deltaLogs();
    Map<File, Integer> before = new HashMap<>();
    for (File log : logs) before.put(log, commits(log));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (File log : logs) {
        if (commits(log) > before.get(log)) return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  /**
   * Streaming queries whose checkpoint holds a planned batch (its offsets written) that it has
   * not committed: what a kill interrupted mid-batch, which the restart must finish exactly once.
   */
  int batchesInFlight() throws Exception {
    Path checkpoints = warehouse.resolve("_checkpoints");
    if (!Files.isDirectory(checkpoints)) return 0;
    int inFlight = 0;
    try (Stream<Path> dirs = Files.walk(checkpoints, 3)) {
      for (Path offsets : dirs.filter(p -> p.getFileName().toString().equals("offsets")).toList()) {
        if (last(offsets) > last(offsets.resolveSibling("commits"))) inFlight++;
      }
    }
    return inFlight;
  }

  private List<File> deltaLogs() throws Exception {
    if (!Files.isDirectory(warehouse)) return List.of();
    try (Stream<Path> dirs = Files.walk(warehouse, 3)) {
      return dirs.filter(p -> p.getFileName().toString().equals("_delta_log")).map(Path::toFile).toList();
    }
  }

  private static int commits(File log) {
    String[] names = log.list((dir, name) -> name.endsWith(".json") && !name.startsWith("."));
    return names == null ? 0 : names.length;
  }

  /** The highest batch id named by a file in {@code dir}; -1 when none. */
  private static long last(Path dir) {
    String[] names = dir.toFile().list();
    long max = -1;
    if (names == null) return max;
    for (String name : names) {
      if (name.matches("\\d+")) max = Math.max(max, Long.parseLong(name));
    }
    return max;
  }
}
