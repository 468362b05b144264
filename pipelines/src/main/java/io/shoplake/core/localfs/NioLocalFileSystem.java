package io.shoplake.core.localfs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * {@code fs.file.impl}: the {@link org.apache.hadoop.fs.FileSystem} API on local paths, with
 * Hadoop's checksum files as before, over {@link NioRawLocalFileSystem}.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }
}
