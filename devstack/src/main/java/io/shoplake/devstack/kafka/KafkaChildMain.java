package io.shoplake.devstack.kafka;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the Kafka child JVM: formats the KRaft log dir, then runs the real broker
 * ({@code kafka.Kafka}). It exits when its stdin closes, which happens when the devstack JVM that
 * holds the other end dies for any reason, kill -9 included, so no orphan broker survives it.
 *
 * <p>Usage: {@code KafkaChildMain <server.properties> <cluster-id>}
 */
public final class KafkaChildMain {

    private KafkaChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaChildMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // ignore input; we only wait for EOF
                }
            } catch (IOException e) {
                // a broken pipe means the parent is gone too
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        java.util.List<String> format = new java.util.ArrayList<>(java.util.List.of("format", "--standalone",
            "--ignore-formatted", "-t", args[1], "-c", args[0]));
        // The secure mode's SCRAM users exist from the first start: the broker authenticates itself with one.
        String scram = System.getenv(KafkaSecurity.ENV_SCRAM_CREDENTIALS);
        if (scram != null) {
            for (String credential : scram.split(";")) {
                format.add("--add-scram");
                format.add(credential);
            }
        }
        int rc = kafka.tools.StorageTool.execute(format.toArray(String[]::new), System.out);
        if (rc != 0) {
            System.err.println("kafka storage format failed with " + rc);
            System.exit(rc);
        }
        kafka.Kafka.main(new String[] {args[0]});
    }
}
