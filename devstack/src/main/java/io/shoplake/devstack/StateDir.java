package io.shoplake.devstack;

import io.shoplake.devstack.process.Files2;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Everything {@code down} needs to clean up after a crashed {@code up}: pid files, temp dirs and the
 * PostgreSQL superuser password, in a private properties file next to devstack.conf.
 */
public final class StateDir {

    public static final String DEVSTACK_PID = "devstack.pid";
    public static final String KAFKA_PID = "kafka.pid";
    public static final String POSTGRES_PID = "postgres.pid";
    public static final String REDIS_PID = "redis.pid";

    private final Path dir;
    private final Properties state = new Properties();

    public StateDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        load();
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path s3Data() {
        return dir.resolve("s3");
    }

    public Path debeziumOffsets() {
        return dir.resolve("debezium-offsets.dat");
    }

    public String get(String key) {
        return state.getProperty(key);
    }

    /** Saved after every service start, so a crash at any point leaves a usable record. */
    public synchronized void put(String key, String value) {
        state.setProperty(key, value);
        StringWriter out = new StringWriter();
        try {
            state.store(out, "devstack state (private)");
            Files2.writePrivateAtomically(stateFile(), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writePid(String name, long pid) throws IOException {
        Files.writeString(file(name), pid + "\n");
    }

    public boolean isEmpty() {
        return state.isEmpty();
    }

    /** Forgets everything: called once the services are really gone. */
    public void clear() throws IOException {
        state.clear();
        for (String f : new String[] {stateFile().getFileName().toString(), DevstackConf.FILE_NAME,
            DEVSTACK_PID, KAFKA_PID, POSTGRES_PID, REDIS_PID}) {
            Files.deleteIfExists(file(f));
        }
        Files.deleteIfExists(debeziumOffsets());
    }

    public void deleteS3Data() {
        Files2.deleteRecursively(s3Data());
    }

    private Path stateFile() {
        return dir.resolve("devstack-state.properties");
    }

    private void load() {
        if (Files.isRegularFile(stateFile())) {
            try (Reader r = Files.newBufferedReader(stateFile())) {
                state.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
