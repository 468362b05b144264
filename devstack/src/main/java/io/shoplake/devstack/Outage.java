package io.shoplake.devstack;

import java.util.Arrays;
import java.util.Locale;

/**
 * A service of the devstack taken away for a while and given back, as production loses one: the
 * chaos run's outages. Each brings the service back as its kind comes back after a restart.
 */
public enum Outage {
    /** The broker stops (SIGTERM) and starts again on its log dirs: every client reconnects. */
    KAFKA("the Kafka broker restarts"),
    /** Redis stops and starts without its data (it keeps none on disk): served values must be published again. */
    REDIS("Redis stops and comes back empty"),
    /** The S3 endpoint stops listening: every request is refused until it is back. */
    S3("the S3 endpoint refuses requests"),
    /** PostgreSQL stops (fast) and starts again: Debezium must resume from its stored offsets. */
    POSTGRES("PostgreSQL restarts"),
    /** Debezium alone stops and starts again from its stored offsets. */
    DEBEZIUM("Debezium restarts");

    private final String description;

    Outage(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The lower-case name used on command lines and in the devstack's control protocol. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outage of(String id) {
        return Arrays.stream(values()).filter(o -> o.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown outage " + id + "; one of "
                        + Arrays.stream(values()).map(Outage::id).toList()));
    }
}
