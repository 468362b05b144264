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
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private, memory-only redis-server daemon, stopped by the pid it writes; in secure mode
 * TLS-only with an ACL user ({@link RedisSecurity}).
 */
public final class RedisServer {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

    private final int port;
    private final Path dataDir;
    private final Path pidFile;
    /** Null: plain. */
    private final RedisSecurity security;

    public RedisServer(int port, Path dataDir, Path pidFile) {
        this(port, dataDir, pidFile, null);
    }

    public RedisServer(int port, Path dataDir, Path pidFile, RedisSecurity security) {
        this.port = port;
        this.dataDir = dataDir;
        this.pidFile = pidFile;
        this.security = security;
    }

    /** How clients reach it. */
    public RedisAccess access() {
        return security == null ? RedisAccess.plaintext("127.0.0.1", port) : security.access("127.0.0.1", port);
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
        List<String> command = new ArrayList<>(List.of(findBinary(), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidFile.toString(), "--dir", dataDir.toString(),
                "--logfile", logFile.toString()));
        command.addAll(security == null ? List.of("--port", Integer.toString(port))
                : security.serverArguments(port, dataDir.resolve("users.acl")));
        Processes.run(dataDir, null, Duration.ofSeconds(20), command);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        RedisAccess access = access();
        while (!access.ping()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + "; see " + logFile);
            }
            Thread.sleep(50);
        }
        long pid = Processes.readPid(pidFile).orElseThrow(() -> new IllegalStateException("no redis pid file"));
        LOG.info("Redis started on 127.0.0.1:{} (pid {})", port, pid);
        return pid;
    }

    /** A raw RESP PING of a plain Redis, so that status needs no Redis client library. */
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
