package io.shoplake.status;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How far a streaming query got, read from its checkpoint as any process can: Spark writes
 * {@code offsets/<batch>} (a version line, the batch's metadata, then one line per source with the
 * offset it reads to) before it runs a batch and {@code commits/<batch>} once the batch is done.
 * Nothing here needs the query to be running, or this process to be the one that runs it.
 *
 * @param committedBatch the last batch done, -1 while the first still runs
 * @param committedAt when it was done (the commit file's time); while the first batch runs, when it began
 * @param startedBatch the last batch begun, -1 if none; above {@code committedBatch} while one runs
 *     (or was interrupted)
 * @param sourceOffsets what the last batch done read to, per source, as Spark's JSON
 */
public record CheckpointProgress(long committedBatch, Instant committedAt, long startedBatch, List<String> sourceOffsets) {
  public CheckpointProgress {
    sourceOffsets = List.copyOf(sourceOffsets);
  }

  public boolean batchInFlight() {
    return startedBatch > committedBatch;
  }

  /**
   * The query's progress, or empty if it never began a batch (or has no checkpoint). A real-time
   * query's batch lasts minutes: the first may still run, which is not "never ran".
   */
  public static Optional<CheckpointProgress> read(String checkpoint, Configuration hadoop) throws IOException {
    Path root = new Path(checkpoint);
    FileSystem fs = root.getFileSystem(hadoop);
    Optional<FileStatus> committed = newest(fs, new Path(root, "commits"));
    if (committed.isEmpty()) {
      return newest(fs, new Path(root, "offsets")).map(first -> new CheckpointProgress(-1,
          Instant.ofEpochMilli(first.getModificationTime()), Long.parseLong(first.getPath().getName()), List.of()));
    }
    long batch = Long.parseLong(committed.get().getPath().getName());
    long started = newest(fs, new Path(root, "offsets")).map(s -> Long.parseLong(s.getPath().getName())).orElse(batch);
    List<String> offsets = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        fs.open(new Path(root, "offsets/" + batch)), StandardCharsets.UTF_8))) {
      in.readLine(); // format version
      in.readLine(); // batch metadata
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank() && !line.equals("-")) offsets.add(line);
      }
    }
    return Optional.of(new CheckpointProgress(batch, Instant.ofEpochMilli(committed.get().getModificationTime()), started,
        offsets));
  }

  /** The entry with the highest batch number; Spark's temporary files are named otherwise and skipped. */
  private static Optional<FileStatus> newest(FileSystem fs, Path dir) throws IOException {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    FileStatus best = null;
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (!name.chars().allMatch(Character::isDigit) || name.isEmpty()) continue;
      if (best == null || Long.parseLong(name) > Long.parseLong(best.getPath().getName())) best = entry;
    }
    return Optional.ofNullable(best);
  }
}
