package io.shoplake.devstack.redis;

import io.shoplake.devstack.process.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A private, memory-only redis-server daemon, stopped by the pid it writes. */
public final class RedisServer {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

    private final int port;
    private final Path dataDir;
    private final Path pidFile;

    public RedisServer(int port, Path dataDir, Path pidFile) {
        this.port = port;
        this.dataDir = dataDir;
        this.pidFile = pidFile;
    }

    public static String findBinary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server not found: run `apt-get install redis-server`");
    }

    public long start(Path logFile) throws IOException, InterruptedException {
        // No persistence: the serving layer is rebuilt by the pipelines, never restored.
        Processes.run(dataDir, null, Duration.ofSeconds(20), List.of(findBinary(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "yes", "--pidfile", pidFile.toString(), "--dir", dataDir.toString(),
                "--logfile", logFile.toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!ping("127.0.0.1", port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + "; see " + logFile);
            }
            Thread.sleep(50);
        }
        long pid = Processes.readPid(pidFile).orElseThrow(() -> new IllegalStateException("no redis pid file"));
        LOG.info("Redis started on 127.0.0.1:{} (pid {})", port, pid);
        return pid;
    }

    /** A raw RESP PING, so that status needs no Redis client library. */
    public static boolean ping(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, buf.length);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public static void stop(Path pidFile) throws InterruptedException {
        Processes.readPid(pidFile).ifPresent(pid -> {
            try {
                Processes.stopIfMatches(pid, "redis-server", Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
