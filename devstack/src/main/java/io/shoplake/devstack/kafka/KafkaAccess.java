package io.shoplake.devstack.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How the devstack's clients (Debezium's producer, the simulator, admin clients) and the
 * pipelines reach its broker: the address and the client properties a secured broker asks for
 * (none for a plain one). The pipelines read the same options from {@code shoplake.kafka.options}.
 */
public record KafkaAccess(String bootstrapServers, Map<String, String> options) {
    public KafkaAccess {
        options = Map.copyOf(options);
    }

    public static KafkaAccess plaintext(String bootstrapServers) {
        return new KafkaAccess(bootstrapServers, Map.of());
    }

    /** The address and the options, before a client's own settings. */
    public Properties clientProps() {
        Properties p = new Properties();
        p.putAll(options);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    public boolean secured() {
        return !options.isEmpty();
    }

    /** The address and the option names, never their values (the JAAS line holds a password). */
    @Override
    public String toString() {
        return bootstrapServers + (options.isEmpty() ? "" : " with " + new TreeMap<>(options).keySet());
    }
}
