package io.shoplake.cdc;

import io.shoplake.core.LostCheckpoint;
import io.shoplake.core.TableAccess;
import io.shoplake.core.TableId;
import io.shoplake.core.Tables;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a table's history up to its current state before the apply job resumes, where the
 * history may lag behind the apply job's checkpoint: the history was turned on
 * ({@code history.track}) for a table silver already holds, or the warehouse was written when
 * the history had a query of its own ({@code silver.<table>_history}), whose checkpoint may
 * stand behind the apply job's. Either way, every change bronze holds is recorded once more;
 * the history's MERGE leaves what it already holds unchanged, so this is safe to repeat.
 */
final class HistoryBackfill {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryBackfill.class);

  private HistoryBackfill() {}

  static void ifBehind(TableAccess access, Tables tables, CdcTableSpec spec, Pseudonymizer pseudonymizer, TableId bronze,
      String applyCheckpoint) {
    Path ownQuery = new Path(tables.checkpoint(spec.historyTable().toString(), "main")).getParent();
    boolean hadOwnQuery = LostCheckpoint.hasProgress(access.spark(), ownQuery + "/main");
    boolean turnedOnLate = !hadOwnQuery && access.neverWritten(spec.historyTable())
        && LostCheckpoint.hasProgress(access.spark(), applyCheckpoint);
    if (!hadOwnQuery && !turnedOnLate) return;
    LOG.info("{}: recording every change of {} in the history before the stream resumes ({})", spec.historyTable(), bronze,
        hadOwnQuery ? "it had a query of its own, at " + ownQuery : "history was turned on after silver was written");
    CdcHistory.applyBronze(access, access.read(bronze), spec, pseudonymizer);
    if (hadOwnQuery) delete(access, ownQuery);
  }

  /** Once the history holds every change, its old query's checkpoint only makes the next start repeat this. */
  private static void delete(TableAccess access, Path checkpoint) {
    try {
      FileSystem fs = checkpoint.getFileSystem(access.spark().sessionState().newHadoopConf());
      fs.delete(checkpoint, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete the old history checkpoint " + checkpoint, e);
    }
  }
}
