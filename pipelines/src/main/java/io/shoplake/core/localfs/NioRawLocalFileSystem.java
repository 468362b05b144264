package io.shoplake.core.localfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system, with the two calls it makes by starting a process done in Java.
 *
 * <p>Without Hadoop's native library (not published for Maven), {@link RawLocalFileSystem} runs
 * {@code chmod} for every file it creates and {@code readlink} for every rename's status checks.
 * A streaming batch writes and renames its offset and commit files and each Delta commit, so a
 * continuous run on local storage started about 70 processes a second, a fifth of a core on two
 * ({@code bench freshness}, docs/performance-log.md). {@code java.nio} does both without one.
 */
public class NioRawLocalFileSystem extends RawLocalFileSystem {

  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    // java.nio has no sticky bit; Hadoop's own command keeps it.
    if (permission.getStickyBit()) {
      super.setPermission(p, permission);
      return;
    }
    // From the actions, not toString(): FileContext passes a subclass whose toString() is not
    // the "rwxr-xr-x" form.
    String mode = permission.getUserAction().SYMBOL + permission.getGroupAction().SYMBOL
        + permission.getOtherAction().SYMBOL;
    try {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException notPosix) {
      super.setPermission(p, permission);
    }
  }

  /**
   * Hadoop's answer for a file that is not a link is the file's status; only a link needs its
   * (process-starting) lookup of the target.
   */
  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    if (Files.isSymbolicLink(pathToFile(f).toPath())) return super.getFileLinkStatus(f);
    return getFileStatus(f);
  }
}
