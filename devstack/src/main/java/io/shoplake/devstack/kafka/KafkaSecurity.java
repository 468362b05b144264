package io.shoplake.devstack.kafka;

import io.shoplake.devstack.process.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The devstack broker's secure mode: it listens SASL_SSL only, users authenticate with
 * SCRAM-SHA-512. Its certificate is made at start with the JDK's keytool (self-signed for
 * 127.0.0.1 and localhost, never committed); the clients trust it as a PEM file, which needs no
 * password. Passwords are new at every start and reach the broker's JVM through its environment,
 * read by Kafka's environment config provider: none is on a command line or in server.properties.
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

    private final Path keystore;
    private final Path certificate;
    private final String keystorePassword = Ports.secret(24);
    private final String brokerPassword = Ports.secret(24);
    private final String clientPassword = Ports.secret(24);

    private KafkaSecurity(Path dir) {
        this.keystore = dir.resolve("broker.p12");
        this.certificate = dir.resolve("broker-cert.pem");
    }

    /** Makes the broker's key and certificate in {@code dir}. */
    public static KafkaSecurity create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        KafkaSecurity security = new KafkaSecurity(dir);
        security.keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", security.keystore.toString(), "-storepass:env", ENV_KEYSTORE_PASSWORD);
        security.keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", security.keystore.toString(),
                "-storepass:env", ENV_KEYSTORE_PASSWORD, "-file", security.certificate.toString());
        return security;
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put(ENV_KEYSTORE_PASSWORD, keystorePassword);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
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
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", "${env:" + ENV_KEYSTORE_PASSWORD + "}");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", certificate.toString());
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        return p;
    }

    /** The environment of the broker's JVM: the passwords its properties refer to, and the users to create. */
    Map<String, String> brokerEnvironment() {
        return Map.of(ENV_BROKER_PASSWORD, brokerPassword, ENV_KEYSTORE_PASSWORD, keystorePassword,
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
        p.put("ssl.truststore.location", certificate.toString());
        return p;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
