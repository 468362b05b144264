package io.shoplake.devstack;

import io.shoplake.devstack.kafka.KafkaBroker;
import io.shoplake.devstack.postgres.PostgresCluster;
import io.shoplake.devstack.postgres.ShopDatabase;
import io.shoplake.devstack.process.Files2;
import io.shoplake.devstack.process.Processes;
import io.shoplake.devstack.redis.RedisServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stops whatever a running or crashed `up` left in DIR and deletes its data. Idempotent.")
final class DownCommand implements Callable<Integer> {

    @Option(names = "--state-dir", required = true)
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        StateDir state = new StateDir(stateDir);
        // A live `up` cleans up best itself: ask it first, then sweep whatever is left.
        pid(state, StateDir.DEVSTACK_PID).ifPresent(pid -> stop(pid, DevstackMain.class.getName(), 60));
        pid(state, StateDir.KAFKA_PID).ifPresent(pid -> stop(pid, KafkaBroker.MAIN_CLASS, 20));

        String pgHome = state.get("postgres.home");
        if (pgHome != null) {
            Path dataDir = Path.of(pgHome, "data");
            dropSlotIfReachable(state);
            PostgresCluster.stop(Path.of(state.get("postgres.bindir")), dataDir, "immediate");
            pid(state, StateDir.POSTGRES_PID).ifPresent(pid -> stop(pid, dataDir.toString(), 10));
            Files2.deleteRecursively(Path.of(pgHome));
        }
        RedisServer.stop(state.file(StateDir.REDIS_PID));
        for (String home : new String[] {state.get("kafka.home"), state.get("redis.home")}) {
            if (home != null) {
                Files2.deleteRecursively(Path.of(home));
            }
        }
        state.deleteS3Data();
        state.clear();
        System.out.println("DEVSTACK DOWN " + state.dir());
        return 0;
    }

    /** Only matters if the cluster outlives us; an inactive slot would pin WAL forever. */
    private static void dropSlotIfReachable(StateDir state) {
        String port = state.get("postgres.port");
        String password = state.get("postgres.superuser-password");
        if (port == null || password == null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("user", PostgresCluster.SUPERUSER);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
             PreparedStatement ps = c.prepareStatement("select pg_drop_replication_slot(slot_name) "
                     + "from pg_replication_slots where slot_name = ? and not active")) {
            ps.setString(1, ShopDatabase.SLOT);
            ps.execute();
        } catch (Exception e) {
            // not reachable: the cluster is gone and its slot with it
        }
    }

    private static java.util.Optional<Long> pid(StateDir state, String file) {
        return Processes.readPid(state.file(file));
    }

    private static void stop(long pid, String marker, int graceSeconds) {
        try {
            Processes.stopIfMatches(pid, marker, Duration.ofSeconds(graceSeconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
