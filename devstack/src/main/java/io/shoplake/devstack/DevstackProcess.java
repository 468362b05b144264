package io.shoplake.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The devstack (Kafka, PostgreSQL + Debezium, Redis, S3) runs in its own JVM: Debezium needs
 * Kafka 4 clients, Spark needs 3.9. This starts it as a child that dies with this JVM (it
 * exits when its stdin closes) and waits until its endpoints file is written.
 */
public final class DevstackProcess implements AutoCloseable {
  private static final String MAIN = "io.shoplake.devstack.DevstackMain";
  private final Process process;
  private final Path stateDir;
  /** The devstack's answers to {@link #outage} requests, as the log pump reads them. */
  private final java.util.concurrent.BlockingQueue<String> outageReplies;

  private DevstackProcess(Process process, Path stateDir, java.util.concurrent.BlockingQueue<String> outageReplies) {
    this.process = process;
    this.stateDir = stateDir;
    this.outageReplies = outageReplies;
  }

  public static DevstackProcess start(Path stateDir, Duration timeout) throws IOException, InterruptedException {
    return start(stateDir, timeout, false);
  }

  /** {@code secure}: started with {@code up --secure}. */
  public static DevstackProcess start(Path stateDir, Duration timeout, boolean secure)
      throws IOException, InterruptedException {
    Files.createDirectories(stateDir);
    Path log = stateDir.resolve("devstack.log");
    List<String> up = new ArrayList<>(List.of("up", "--state-dir", stateDir.toString(), "--exit-on-stdin-eof"));
    if (secure) up.add("--secure");
    Process process = new ProcessBuilder(command(up.toArray(String[]::new)))
        .redirectErrorStream(true)
        .start();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    java.util.concurrent.BlockingQueue<String> outageReplies = new java.util.concurrent.LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> pump(process, log, ready, outageReplies), "devstack-log");
    pump.setDaemon(true);
    pump.start();
    DevstackProcess devstack = new DevstackProcess(process, stateDir, outageReplies);
    try {
      if (!ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("devstack exited before it was ready; see " + log);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      devstack.close();
      throw new IllegalStateException("devstack not ready after " + timeout + "; see " + log);
    } catch (java.util.concurrent.ExecutionException e) {
      devstack.close();
      throw new IllegalStateException("devstack failed; see " + log, e.getCause());
    }
    return devstack;
  }

  private static void pump(Process process, Path log, CompletableFuture<Boolean> ready,
      java.util.concurrent.BlockingQueue<String> outageReplies) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        if (line.startsWith("DEVSTACK READY")) ready.complete(true);
        if (line.startsWith("OUTAGE ")) outageReplies.add(line);
      }
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
    ready.complete(false);
  }

  /**
   * Stops whatever an earlier run left in {@code stateDir} (the devstack refuses to start over
   * it; {@code down}'s output goes to {@code downLog}), then starts a new one there.
   */
  public static DevstackProcess startAfresh(Path stateDir, Path downLog, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(stateDir);
    spawn(downLog, "down", "--state-dir", stateDir.toString()).waitFor();
    return start(stateDir, timeout);
  }

  /**
   * Takes {@code outage}'s service away for {@code down} and gives it back (see {@link Outage});
   * returns once it is back.
   *
   * @throws IllegalStateException when the devstack could not bring it back within {@code timeout}
   */
  public synchronized void outage(Outage outage, Duration down, Duration timeout) throws IOException, InterruptedException {
    // An answer that came after its request timed out is not this request's.
    outageReplies.clear();
    var stdin = process.getOutputStream();
    stdin.write(("outage " + outage.id() + " " + down.toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    String reply = outageReplies.poll(down.plus(timeout).toMillis(), TimeUnit.MILLISECONDS);
    if (reply == null) {
      throw new IllegalStateException(outage.description() + ": the devstack did not bring it back within "
          + timeout + "; see " + stateDir.resolve("devstack.log"));
    }
    if (!reply.equals("OUTAGE DONE " + outage.id())) {
      throw new IllegalStateException(outage.description() + " failed: " + reply);
    }
  }

  public Path endpointsFile() {
    return stateDir.resolve("devstack.conf");
  }

  public Path stateDir() {
    return stateDir;
  }

  /** Runs another devstack command (down, status, simulate) to the end, output to this JVM's. */
  public static int run(String... args) throws IOException, InterruptedException {
    return new ProcessBuilder(command(args)).inheritIO().start().waitFor();
  }

  /** Starts a devstack command (e.g. simulate) without waiting; its output goes to {@code log}. */
  public static Process spawn(Path log, String... args) throws IOException {
    return new ProcessBuilder(command(args)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** Closing stdin asks the devstack to stop its services; it is killed if it takes too long. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }

  static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(MAIN);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** From {@code shoplake.devstack.classpath}, or the devstack module's build output under {@code shoplake.home}. */
  static String classpath() {
    String explicit = System.getProperty("shoplake.devstack.classpath");
    if (explicit != null) return explicit;
    String home = System.getProperty("shoplake.home");
    if (home == null) {
      throw new IllegalStateException("Set -Dshoplake.home (bin/shoplake does) or -Dshoplake.devstack.classpath");
    }
    Path module = Path.of(home, "devstack", "target");
    try {
      return module.resolve("classes") + java.io.File.pathSeparator
          + Files.readString(module.resolve("classpath.txt")).trim();
    } catch (IOException e) {
      throw new IllegalStateException("devstack is not built (" + module.resolve("classpath.txt")
          + " missing): run mvn -pl devstack -am package", e);
    }
  }
}
