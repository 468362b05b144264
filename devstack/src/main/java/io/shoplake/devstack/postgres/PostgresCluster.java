package io.shoplake.devstack.postgres;

import io.shoplake.devstack.process.Files2;
import io.shoplake.devstack.process.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL 15 cluster: its own data dir under /tmp, its own port on 127.0.0.1 and its
 * unix socket inside the temp dir, so it never meets the system cluster.
 */
public final class PostgresCluster {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    /** PostgreSQL refuses to run as root; this is the account the Debian package creates. */
    static final String OS_USER = "postgres";
    public static final String SUPERUSER = "postgres";

    private final Path binDir;
    private final Path home;
    private final int port;
    private final String superuserPassword;

    public PostgresCluster(Path binDir, Path home, int port, String superuserPassword) {
        this.binDir = binDir;
        this.home = home;
        this.port = port;
        this.superuserPassword = superuserPassword;
    }

    public Path home() {
        return home;
    }

    public Path dataDir() {
        return home.resolve("data");
    }

    public int port() {
        return port;
    }

    /** /root is not traversable for the postgres user, hence /tmp. */
    public static Path newHome() throws IOException {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "shoplake-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        chownToPostgres(home);
        return home;
    }

    public static Path findBinDir() {
        Path debian = Path.of("/usr/lib/postgresql/15/bin");
        if (Files.isExecutable(debian.resolve("initdb"))) {
            return debian;
        }
        try {
            Path fromPgConfig = Path.of(Processes.run(Path.of("/"), null, Duration.ofSeconds(10),
                    List.of("pg_config", "--bindir")).trim());
            if (Files.isExecutable(fromPgConfig.resolve("initdb"))) {
                return fromPgConfig;
            }
        } catch (IOException e) {
            // fall through to the actionable message
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("PostgreSQL 15 server binaries (initdb, pg_ctl) not found in " + debian
                + " nor via pg_config --bindir: run `apt-get install postgresql`");
    }

    public void initAndStart() throws IOException, InterruptedException {
        Path pwFile = home.resolve("pw");
        Files.writeString(pwFile, superuserPassword + "\n");
        chownToPostgres(pwFile);
        try {
            run(Duration.ofSeconds(120), binDir.resolve("initdb").toString(), "-D", dataDir().toString(),
                    "-U", SUPERUSER, "--pwfile=" + pwFile, "-A", "scram-sha-256", "--auth-local=trust",
                    "-E", "UTF8", "--no-locale", "--no-sync");
        } finally {
            Files.deleteIfExists(pwFile);
        }
        // Logical decoding for Debezium; fsync off because the data dies with the devstack anyway.
        // synchronous_commit stays on: walsenders only ship flushed WAL, and async commits wait for
        // the WAL writer (200 ms), which would add that much to every CDC event's latency.
        Files.writeString(dataDir().resolve("postgresql.conf"), String.join("\n",
                "",
                "# shoplake devstack",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + home + "'",
                "wal_level = logical",
                "max_replication_slots = 10",
                "max_wal_senders = 10",
                "max_slot_wal_keep_size = 2GB",
                "max_connections = 50",
                "fsync = off",
                "full_page_writes = off",
                "shared_buffers = 64MB",
                ""), java.nio.file.StandardOpenOption.APPEND);
        // Local socket trust is only reachable by root and postgres: the socket dir is 0700.
        Files.writeString(dataDir().resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host replication all 127.0.0.1/32 scram-sha-256",
                ""));
        start();
    }

    /** Starts the initialised cluster and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        Path log = home.resolve("postgres.log");
        try {
            run(Duration.ofSeconds(90), binDir.resolve("pg_ctl").toString(), "-D", dataDir().toString(),
                    "-l", log.toString(), "-w", "-t", "60", "start");
        } catch (IOException e) {
            // The log lives in the temp dir that cleanup deletes: surface its reason now.
            String tail = Files.exists(log) ? Files.readString(log) : "(no server log)";
            throw new IOException(e.getMessage() + "\nserver log:\n"
                    + tail.substring(Math.max(0, tail.length() - 2000)), e);
        }
        LOG.info("PostgreSQL started on 127.0.0.1:{} (data {})", port, dataDir());
    }

    /** The postmaster's pid, read from the file PostgreSQL itself keeps. */
    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0).trim());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connectAsSuperuser(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", superuserPassword);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** Fast for a graceful shutdown, immediate for cleaning up after a crash. */
    public static void stop(Path binDir, Path dataDir, String mode) throws IOException, InterruptedException {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        List<String> cmd = List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", mode,
                "-w", "-t", "30", "stop");
        try {
            Processes.run(dataDir.getParent(), OS_USER, Duration.ofSeconds(40), cmd);
        } catch (IOException e) {
            LOG.warn("pg_ctl stop failed: {}", e.getMessage());
        }
    }

    public void stop(String mode) throws IOException, InterruptedException {
        stop(binDir, dataDir(), mode);
    }

    public void deleteFiles() {
        Files2.deleteRecursively(home);
    }

    private void run(Duration timeout, String... command) throws IOException, InterruptedException {
        Processes.run(home, OS_USER, timeout, List.of(command));
    }

    private static void chownToPostgres(Path p) throws IOException {
        if (!Processes.isRoot()) {
            return;
        }
        try {
            Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IllegalStateException("running as root needs the `postgres` OS user to run PostgreSQL: "
                    + "run `apt-get install postgresql`", e);
        }
    }
}
