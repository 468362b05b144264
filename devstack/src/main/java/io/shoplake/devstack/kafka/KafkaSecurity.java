package io.shoplake.devstack.kafka;

import io.shoplake.devstack.process.Ports;
import io.shoplake.devstack.tls.SelfSignedCertificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The devstack broker's secure mode: it listens SASL_SSL only, users authenticate with
 * SCRAM-SHA-512, its certificate the secure mode's {@link SelfSignedCertificate}, which clients
 * trust as a PEM file. Passwords are new at every start and reach the broker's JVM through its
 * environment, read by Kafka's environment config provider: none is on a command line or in
 * server.properties.
 */
public final class KafkaSecurity {
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The broker's own user, for the inter-broker listener. */
    static final String BROKER_USER = "admin";
    /** The user every client of the devstack connects as. */
    public static final String CLIENT_USER = "shoplake";
    static final String ENV_BROKER_PASSWORD = "SHOPLAKE_DEVSTACK_KAFKA_BROKER_PASSWORD";
    static final String ENV_KEYSTORE_PASSWORD = "SHOPLAKE_DEVSTACK_KAFKA_KEYSTORE_PASSWORD";
    /** The SCRAM credentials the storage is formatted with, {@code ;}-separated {@code --add-scram} values. */
    static final String ENV_SCRAM_CREDENTIALS = "SHOPLAKE_DEVSTACK_KAFKA_SCRAM_CREDENTIALS";

    private final SelfSignedCertificate certificate;
    private final String brokerPassword = Ports.secret(24);
    private final String clientPassword = Ports.secret(24);

    public KafkaSecurity(SelfSignedCertificate certificate) {
        this.certificate = certificate;
    }

    /** What the broker's server.properties adds for SASL_SSL on {@code port}; secrets as ${env:...} references. */
    Map<String, String> brokerProperties(int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_ssl." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                jaas(BROKER_USER, "${env:" + ENV_BROKER_PASSWORD + "}"));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", certificate.keystore().toString());
        p.put("ssl.keystore.password", "${env:" + ENV_KEYSTORE_PASSWORD + "}");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", certificate.certificate().toString());
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        return p;
    }

    /** The environment of the broker's JVM: the passwords its properties refer to, and the users to create. */
    Map<String, String> brokerEnvironment() {
        return Map.of(ENV_BROKER_PASSWORD, brokerPassword, ENV_KEYSTORE_PASSWORD, certificate.keystorePassword(),
                ENV_SCRAM_CREDENTIALS, scram(BROKER_USER, brokerPassword) + ";" + scram(CLIENT_USER, clientPassword));
    }

    private static String scram(String user, String password) {
        return MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    /** What every client sets to reach the broker as {@link #CLIENT_USER}. */
    public Map<String, String> clientOptions() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(CLIENT_USER, clientPassword));
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", certificate.certificate().toString());
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
