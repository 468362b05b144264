package io.shoplake.privacy;

import io.shoplake.core.Job;
import io.shoplake.core.JobGraph;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import io.shoplake.status.CheckpointProgress;
import io.shoplake.status.DeltaSourceOffset;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Whether every job reading a table an erasure rewrote has read all that came before the rewrite.
 * A stream skips the rewrite itself (skipChangeCommits), but one still behind it reads the files
 * the rewrite replaced, as they were, and would put the customer back downstream; the erasure
 * waits for them and then looks again. A job that never ran starts from the rewritten table.
 */
final class ReadersPassed {

  private final TableAccess access;
  private final Tables tables;
  private final JobGraph graph;
  private final Configuration hadoop;

  ReadersPassed(TableAccess access, Tables tables, JobGraph graph) {
    this.access = access;
    this.tables = tables;
    this.graph = graph;
    this.hadoop = access.spark().sparkContext().hadoopConfiguration();
  }

  /**
   * Waits until each reader of a table in {@code rewrittenAt} (table → the version of the rewrite)
   * has read every version before it; returns the readers still behind when {@code timeout} ran out.
   */
  List<String> await(Map<TableId, Long> rewrittenAt, Duration timeout) throws IOException, InterruptedException {
    Map<String, TableId> byDeltaId = new HashMap<>();
    rewrittenAt.keySet().forEach(t -> byDeltaId.put(access.deltaId(t), t));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> behind = behind(rewrittenAt, byDeltaId);
      if (behind.isEmpty() || System.nanoTime() > deadline) return behind;
      Thread.sleep(2_000);
    }
  }

  private List<String> behind(Map<TableId, Long> rewrittenAt, Map<String, TableId> byDeltaId) throws IOException {
    List<String> behind = new ArrayList<>();
    for (ReadTo read : readers(rewrittenAt.keySet(), byDeltaId)) {
      long needed = rewrittenAt.get(read.table()) - 1;
      if (read.through() < needed) {
        behind.add(read.job() + " (" + read.table() + " read to version " + read.through() + " of " + needed + ")");
      }
    }
    return behind;
  }

  /**
   * Per table, the oldest version a reader still needs: the one before the version the slowest
   * reader reads next (a Delta stream resuming there checks the log from the version before);
   * absent for a table no job has read yet.
   */
  Map<TableId, Long> oldestNeeded(Collection<TableId> of) throws IOException {
    Map<String, TableId> byDeltaId = new HashMap<>();
    of.forEach(t -> byDeltaId.put(access.deltaId(t), t));
    Map<TableId, Long> oldest = new HashMap<>();
    for (ReadTo read : readers(of, byDeltaId)) oldest.merge(read.table(), Math.max(0, read.nextCommit() - 1), Math::min);
    return oldest;
  }

  /** @param nextCommit the version whose commit the reader reads next (it may have begun it) */
  private record ReadTo(String job, TableId table, long through, long nextCommit) {}

  private List<ReadTo> readers(Collection<TableId> of, Map<String, TableId> byDeltaId) throws IOException {
    List<ReadTo> reads = new ArrayList<>();
    for (Job job : graph.flowOrder()) {
      if (graph.declaration(job.name()).reads().stream().noneMatch(of::contains)) continue;
      Optional<CheckpointProgress> progress = CheckpointProgress.read(tables.checkpoint(job.name(), "main"), hadoop);
      if (progress.isEmpty()) continue;
      for (String line : progress.get().sourceOffsets()) {
        Optional<DeltaSourceOffset> offset = DeltaSourceOffset.parse(line);
        TableId table = offset.map(o -> byDeltaId.get(o.reservoirId())).orElse(null);
        if (table != null) reads.add(new ReadTo(job.name(), table, offset.get().readThrough(), offset.get().version()));
      }
    }
    return reads;
  }
}
