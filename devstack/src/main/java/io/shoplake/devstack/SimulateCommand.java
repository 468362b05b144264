package io.shoplake.devstack;

import io.shoplake.devstack.simulator.ShopSimulator;
import io.shoplake.devstack.simulator.SimulatorStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs the shop simulator against the devstack in DIR: clickstream to Kafka, orders, stock, "
            + "prices and customers in PostgreSQL (and so through CDC).",
            "Ends after --duration, --max-orders or --max-events, then prints `SIMULATOR DONE orders=.. ...`."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--state-dir", required = true)
    Path stateDir;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to run: 500ms, 60s, 5m, 1h or ISO-8601 (PT1M). Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--rate", defaultValue = "40", description = "Actions (or, with --pace events, events) per second. "
            + "Default: ${DEFAULT-VALUE}.")
    double rate;

    enum Pace { actions, events }

    @Option(names = "--pace", defaultValue = "actions", description = "What --rate counts: actions (a click, an order "
            + "placed, a restock...) or events (clicks, changed rows, outbox events: what reaches Kafka). "
            + "Default: ${DEFAULT-VALUE}.")
    Pace pace;

    @Option(names = "--max-orders", description = "Stop after this many orders were placed.")
    Integer maxOrders;

    @Option(names = "--max-events", description = "Stop after sending this many events (clicks, changed rows, "
            + "outbox rows).")
    Long maxEvents;

    @Option(names = "--cdc-stress", description = "Then run the CDC stress scenario once: a burst of updates to one row, "
            + "bulk insert/update/delete of thousands of customers in single transactions, re-inserts of deleted keys, "
            + "a deleted stock row, and a column added to products.")
    boolean cdcStress;

    @Option(names = "--until-stdin-closes", description = "Also end (normally, between two actions) when stdin "
            + "closes: a test stops the shop when it has seen what it waits for, not after a fixed time.")
    boolean untilStdinCloses;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || (maxOrders != null && maxOrders <= 0) || (maxEvents != null && maxEvents <= 0) || duration.isNegative() || duration.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--rate, --duration, --max-orders and --max-events must be positive");
        }
        DevstackConf conf = DevstackConf.read(stateDir);
        java.util.concurrent.atomic.AtomicBoolean stdinClosed = new java.util.concurrent.atomic.AtomicBoolean();
        if (untilStdinCloses) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // Only the end of the stream matters.
                    }
                } catch (java.io.IOException e) {
                    // A broken stdin ends the run as a closed one does.
                }
                stdinClosed.set(true);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        ShopSimulator simulator = new ShopSimulator(conf, seed);
        if (pace == Pace.events) {
            simulator.pacedByEvents();
        }
        if (maxEvents != null) {
            simulator.stopAfterEvents(maxEvents);
        }
        SimulatorStats stats = simulator.run(duration, rate, maxOrders, stdinClosed::get);
        if (cdcStress) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(conf.postgresJdbcUrl(), conf.postgresUser(),
                    conf.postgresPassword())) {
                new io.shoplake.devstack.simulator.CdcStressScenario(c).run();
            }
        }
        System.out.println(stats.doneLine());
        System.out.flush();
        return 0;
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 60s, 5m or PT1M");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }
}
