package io.shoplake.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts Kafka, PostgreSQL with Debezium CDC, Redis and S3Proxy, writes DIR/devstack.conf "
            + "and prints `DEVSTACK READY DIR/devstack.conf`.",
            "Runs until SIGTERM/SIGINT (or stdin EOF with --exit-on-stdin-eof), then stops everything.",
            "With --exit-on-stdin-eof, a line `outage KIND MILLIS` on stdin takes a service away for that long "
                + "(kafka, redis, s3, postgres, debezium; see Outage) and answers `OUTAGE DONE KIND` or "
                + "`OUTAGE FAILED KIND reason` on stdout."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--state-dir", required = true, description = "Where devstack.conf, pid files and logs go.")
    Path stateDir;

    @Option(names = "--secure",
            description = "Kafka listens SASL_SSL only (SCRAM-SHA-512), Redis TLS only with an ACL user; "
                + "a certificate made at start, new passwords; devstack.conf says how to connect.")
    boolean secure;

    @Option(names = "--exit-on-stdin-eof",
            description = "Also stop when stdin closes, so the stack dies with the process that spawned it.")
    boolean exitOnStdinEof;

    @Override
    public Integer call() throws Exception {
        StateDir state = new StateDir(stateDir);
        if (!state.isEmpty()) {
            throw new IllegalStateException("state dir " + state.dir() + " belongs to a running or crashed devstack: "
                    + "run `devstack down --state-dir " + state.dir() + "` first");
        }
        Devstack stack = new Devstack(state, secure);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "devstack-shutdown"));
        stack.start();
        System.out.println("DEVSTACK READY " + state.file(DevstackConf.FILE_NAME));
        System.out.flush();
        if (exitOnStdinEof) {
            serveUntilEof(stack, System.in);
            System.exit(0);
        }
        stopped.await();
        return 0;
    }

    /** Runs the outages the parent asks for, one at a time, until it closes stdin. */
    private static void serveUntilEof(Devstack stack, InputStream in) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                if (words.length != 3 || !words[0].equals("outage")) {
                    reply("OUTAGE FAILED ? not `outage KIND MILLIS`: " + line);
                    continue;
                }
                try {
                    stack.outage(Outage.of(words[1]), Duration.ofMillis(Long.parseLong(words[2])));
                    reply("OUTAGE DONE " + words[1]);
                } catch (Exception e) {
                    reply("OUTAGE FAILED " + words[1] + " " + e);
                }
            }
        } catch (IOException e) {
            // a broken stdin means the parent is gone as well
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
