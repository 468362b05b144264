package io.shoplake.core;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Stops a job that lost its checkpoint while tables still hold the rows its earlier runs
 * appended. {@link DeltaWrites} tells a replayed batch by its id, and batch ids only mean
 * something next to the checkpoint that numbered them: started without it, a query reads its
 * source from the configured start again and numbers its batches from 0, so every batch whose
 * id the table already holds would be taken for a replay and skipped, new rows and all.
 */
public final class LostCheckpoint {
  /** A table the job appends to through {@link DeltaWrites}, and which of its rows are the job's. */
  public record Appended(TableId table, DeltaWrites.Writer writer) {}

  private LostCheckpoint() {}

  /**
   * Throws if {@code checkpoint} has no progress yet while one of {@code appended} holds rows of
   * its writer. A checkpoint with progress, or a first start on tables never written to, passes
   * without running a query.
   */
  public static void refuseToStart(TableAccess access, String jobName, String checkpoint, List<Appended> appended) {
    if (hasProgress(access.spark(), checkpoint)) return;
    List<String> holding = appended.stream()
        .filter(a -> access.exists(a.table()) && !access.neverWritten(a.table())
            && !access.read(a.table()).filter(a.writer().rows()).isEmpty())
        .map(a -> a.table() + " (" + access.location(a.table()) + ")")
        .collect(Collectors.toList());
    if (holding.isEmpty()) return;
    throw new IllegalStateException(jobName + " has no checkpoint at " + checkpoint + ", but " + String.join(", ", holding)
        + " already hold" + (holding.size() == 1 ? "s" : "") + " rows it appended. Started without its checkpoint, it would"
        + " read its source from the start again and skip every batch whose id those rows carry, new data included."
        + " Restore the checkpoint, or start over in a new warehouse.");
  }

  /** Spark writes {@code offsets/<batch id>} before it runs a batch: none means nothing ever started. */
  public static boolean hasProgress(SparkSession spark, String checkpoint) {
    Path offsets = new Path(checkpoint, "offsets");
    try {
      FileSystem fs = offsets.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(offsets)) return false;
      for (FileStatus f : fs.listStatus(offsets)) {
        if (f.getPath().getName().chars().allMatch(Character::isDigit)) return true;
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read checkpoint " + checkpoint, e);
    }
  }
}
