package io.shoplake.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code shoplake <args>} in its own JVM, as bin/shoplake starts it, so a test can kill -9 it. */
final class ChildShoplake {
  private ChildShoplake() {}

  static Process start(Map<String, String> settings, Path log, List<String> args) throws IOException {
    Path home = Path.of(System.getProperty("shoplake.home"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(List.of(Files.readString(home.resolve("pipelines/target/launcher/jvm-flags")).trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.shoplake.cli.ShoplakeCli"));
    cmd.addAll(args);
    cmd.addAll(List.of("--env", "local"));
    settings.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    ProcessBuilder builder = new ProcessBuilder(cmd);
    builder.environment().put("SHOPLAKE_PII_KEY", Devstack.PII_KEY);
    return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }
}
