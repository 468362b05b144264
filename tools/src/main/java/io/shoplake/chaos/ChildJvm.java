package io.shoplake.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code shoplake <args>} in a JVM of its own, started as bin/shoplake starts the CLI, so that it
 * can be killed with SIGKILL. Secrets reach it through the environment it inherits and the
 * devstack's endpoints file, never its command line.
 */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(List<String> args, String env, Map<String, String> settings, Path log) throws IOException {
    Path home = Path.of(System.getProperty("shoplake.home"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + System.getenv().getOrDefault("SHOPLAKE_DRIVER_MEMORY", "4g"));
    cmd.addAll(List.of(Files.readString(home.resolve("pipelines/target/launcher/jvm-flags")).trim().split("\\s+")));
    cmd.add("-Dshoplake.home=" + home);
    cmd.add("-Dshoplake.conf.dir=" + System.getProperty("shoplake.conf.dir", home.resolve("conf").toString()));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.shoplake.cli.ShoplakeCli"));
    cmd.addAll(args);
    cmd.addAll(List.of("--env", env));
    settings.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }
}
