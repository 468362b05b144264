package io.shoplake.core.s3;

import io.delta.storage.S3SingleDriverLogStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;

/**
 * Delta's S3 log store, made safe for writers in several JVMs without DynamoDB. A Delta commit is
 * the file of its version created only if absent; Delta's {@link S3SingleDriverLogStore} checks
 * and then writes, which is atomic within one JVM only, so two processes appending to one table
 * (Airflow's parallel tasks, two pipelines on {@code quality.quarantine}) can both write a version
 * and one commit silently replaces the other. Here the commit is a conditional PUT
 * ({@code If-None-Match: *}, S3A's conditional create): the store refuses the second writer, and
 * Delta retries it at the next version as for any concurrent commit.
 *
 * <p>A PUT that succeeded but whose answer was lost is retried by the S3 client and then refused;
 * the file then holds this very commit (its commitInfo is unique per transaction), which is read
 * back and taken as success rather than committed a second time.
 */
public class ConditionalS3LogStore extends S3SingleDriverLogStore {
  /** S3A's create option for {@code If-None-Match: *} (Hadoop 3.4.2+, HADOOP-19256). */
  static final String CONDITIONAL_OVERWRITE = "fs.option.create.conditional.overwrite";

  public ConditionalS3LogStore(Configuration hadoopConf) {
    super(hadoopConf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf) throws IOException {
    if (overwrite) {
      super.write(path, actions, true, hadoopConf);
      return;
    }
    FileSystem fs = path.getFileSystem(hadoopConf);
    Path file = fs.makeQualified(path);
    byte[] commit = content(actions);
    try {
      FSDataOutputStreamBuilder<?, ?> create = fs.createFile(file);
      create.overwrite(false);
      create.must(CONDITIONAL_OVERWRITE, true);
      FSDataOutputStream out = create.build();
      try {
        out.write(commit);
      } catch (IOException | RuntimeException e) {
        out.abort(); // a partial commit must never be PUT
        throw e;
      }
      // The condition is checked when the object is PUT: at close, for a file this small.
      out.close();
    } catch (RemoteFileChangedException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      if (holds(fs, file, commit)) return;
      throw new java.nio.file.FileAlreadyExistsException(file.toString());
    }
  }

  /** Delta's commit file: one action per line, each line ended. */
  private static byte[] content(Iterator<String> actions) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (actions.hasNext()) bytes.writeBytes((actions.next() + "\n").getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  private static boolean holds(FileSystem fs, Path file, byte[] commit) throws IOException {
    try (InputStream in = fs.open(file)) {
      return Arrays.equals(in.readAllBytes(), commit);
    } catch (java.io.FileNotFoundException e) {
      return false;
    }
  }
}
