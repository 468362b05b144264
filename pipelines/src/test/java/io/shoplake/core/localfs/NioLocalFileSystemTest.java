package io.shoplake.core.localfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoplake.testing.SharedSpark;
import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsCreateModes;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  private final SparkSession spark = SharedSpark.get();
  @TempDir Path dir;

  private Configuration hadoopConf() {
    return spark.sessionState().newHadoopConf();
  }

  @Test
  void sessionsUseItForBothOfHadoopsApisOnLocalPaths() throws Exception {
    assertThat(FileSystem.newInstance(URI.create("file:///"), hadoopConf())).isInstanceOf(NioLocalFileSystem.class);
    assertThat(FileContext.getFileContext(URI.create("file:///"), hadoopConf()).getDefaultFileSystem())
        .isInstanceOf(NioLocalFs.class);
  }

  @Test
  void aStreamingQueryAndItsDeltaCommitsStartNoProcess() throws Exception {
    String source = dir.resolve("source").toUri().toString();
    String sink = dir.resolve("sink").toUri().toString();
    List<RecordedEvent> started = processesStartedDuring(() -> {
      spark.range(5).write().format("delta").save(source);
      spark.readStream().format("delta").load(source).writeStream().format("delta")
          .option("checkpointLocation", dir.resolve("checkpoint").toUri().toString())
          .trigger(Trigger.AvailableNow()).start(sink).awaitTermination();
      // The recording's own check: a process started here must show up.
      new ProcessBuilder("true").start().waitFor(10, TimeUnit.SECONDS);
    });

    assertThat(spark.read().format("delta").load(sink).count()).isEqualTo(5);
    assertThat(started).as("processes started").extracting(e -> e.getString("command")).containsExactly("true");
    // Files and directories get the permissions Hadoop's chmod gave them (umask 022).
    Path commit = dir.resolve("sink/_delta_log/00000000000000000000.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(commit))).isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("checkpoint/offsets"))))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void aLinkOrAMissingFileGetsTheAnswerHadoopsOwnFileSystemGives() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "12345");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    RawLocalFileSystem hadoops = new RawLocalFileSystem();
    NioRawLocalFileSystem ours = new NioRawLocalFileSystem();
    hadoops.initialize(URI.create("file:///"), new Configuration());
    ours.initialize(URI.create("file:///"), new Configuration());

    for (Path p : List.of(target, link)) {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(p.toUri());
      FileStatus expected = hadoops.getFileLinkStatus(path);
      FileStatus actual = ours.getFileLinkStatus(path);
      assertThat(actual.isSymlink()).as("%s is a link", p).isEqualTo(expected.isSymlink());
      assertThat(actual.getLen()).as("%s length", p).isEqualTo(expected.getLen()).isEqualTo(5);
      assertThat(actual.getPath()).isEqualTo(expected.getPath());
    }
    assertThatThrownBy(() -> ours.getFileLinkStatus(new org.apache.hadoop.fs.Path(dir.resolve("missing").toUri())))
        .isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void aPermissionSetsTheModeItsActionsSayWhateverItsClass() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    NioRawLocalFileSystem ours = new NioRawLocalFileSystem();
    ours.initialize(URI.create("file:///"), new Configuration());
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());

    ours.setPermission(path, new FsPermission((short) 0640));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    // FileContext's create hands down the mode with the umask applied in a subclass.
    ours.setPermission(path, FsCreateModes.create(new FsPermission((short) 0604), new FsPermission((short) 0666)));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw----r--");
  }

  private List<RecordedEvent> processesStartedDuring(ThrowingRunnable work) throws Exception {
    Path file = dir.resolve("processes.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ProcessStart").withStackTrace();
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
    }
    // Spark's cleaner deletes a dead session's artifact folder with `rm -rf` whenever the
    // garbage collector gets to it: not a file this test writes.
    return RecordingFile.readAllEvents(file).stream()
        .filter(e -> !e.getString("command").startsWith("rm -rf"))
        .toList();
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
