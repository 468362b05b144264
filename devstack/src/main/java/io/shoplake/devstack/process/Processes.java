package io.shoplake.devstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Running helper commands and stopping processes that a crashed devstack left behind. */
public final class Processes {

    private Processes() {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Runs a command to completion and fails with its output when it exits non-zero. With
     * {@code asUser}, and only when we are root, the command runs as that user (PostgreSQL refuses
     * to run as root).
     */
    public static String run(Path workDir, String asUser, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asUser != null && isRoot()) {
            full.addAll(List.of("runuser", "-u", asUser, "--"));
        }
        full.addAll(command);
        // Output goes to a file, not a pipe: a daemon that keeps the pipe open must not defeat the timeout.
        Path out = Files.createTempFile("shoplake-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeout + ": " + String.join(" ", command));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + " from " + String.join(" ", command) + ":\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The command line of a live process, or empty when it is gone. */
    public static Optional<String> commandLine(long pid) {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            byte[] raw = Files.readAllBytes(cmdline);
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException e) {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().commandLine().orElse(""));
        }
    }

    /**
     * Stops a process only if its command line still contains {@code marker}: pid files outlive
     * their processes and a recycled pid must never be killed.
     */
    public static boolean stopIfMatches(long pid, String marker, Duration grace) throws InterruptedException {
        Optional<String> cmd = commandLine(pid);
        if (cmd.isEmpty() || !cmd.get().contains(marker)) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return false;
        }
        handle.get().destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        while (handle.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
            Thread.sleep(200);
        }
        return true;
    }

    public static Optional<Long> readPid(Path pidFile) {
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
