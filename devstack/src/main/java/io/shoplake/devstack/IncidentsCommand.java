package io.shoplake.devstack;

import io.shoplake.devstack.simulator.PlantedIncidents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulate-incidents", mixinStandardHelpOptions = true,
        description = {"Sends clickstream traffic with planted incidents to the devstack in DIR, stamped with the times "
            + "they stand for: " + PlantedIncidents.NORMAL + " clicks per bucket over " + PlantedIncidents.BUCKETS
            + " buckets, a burst of " + PlantedIncidents.BURST_CLICKS + " in buckets 10-11, nothing in 15-19, and "
            + PlantedIncidents.MALFORMED + " records that are not JSON beside the clicks in 22-23.",
            "Ends once the broker has every record, printing `INCIDENTS PLANTED ...` with each incident's first bucket."})
final class IncidentsCommand implements Callable<Integer> {

    @Option(names = "--state-dir", required = true)
    Path stateDir;

    @Option(names = "--bucket", defaultValue = "1m", converter = SimulateCommand.DurationConverter.class,
            description = "The anomaly bucket the plan is laid out in (shoplake.anomalies.bucket). Default: ${DEFAULT-VALUE}.")
    Duration bucket;

    @Option(names = "--start", description = "Start of bucket 0, ISO-8601 (2026-11-25T10:00:00Z). Default: the bucket "
            + "start " + (PlantedIncidents.BUCKETS + 5) + " buckets ago, so the whole plan lies in the past.")
    Instant start;

    @Option(names = "--buckets", defaultValue = "0-" + (PlantedIncidents.BUCKETS - 1),
            description = "Which buckets of the plan to send, FROM-TO: a test sends the plan in parts. Default: ${DEFAULT-VALUE}.")
    String buckets;

    @Option(names = "--topic", defaultValue = "clickstream", description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("(\\d+)-(\\d+)").matcher(buckets);
        if (!range.matches() || bucket.isNegative() || bucket.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--buckets is FROM-TO (e.g. 0-17) and --bucket positive");
        }
        long b = bucket.toMillis();
        Instant first = start != null ? start
            : Instant.ofEpochMilli((System.currentTimeMillis() / b - PlantedIncidents.BUCKETS - 5) * b);
        DevstackConf conf = DevstackConf.read(stateDir);
        long[] sent = new PlantedIncidents(conf.kafka(), topic, seed)
            .send(first, bucket, Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2)));
        System.out.printf("INCIDENTS PLANTED topic=%s start=%s bucket=%ds buckets=%s clicks=%d malformed=%d burst=%s stop=%s"
                + " flood=%s%n", topic, first, b / 1000, buckets, sent[0], sent[1], at(first, PlantedIncidents.BURST[0]),
            at(first, PlantedIncidents.STOP[0]), at(first, PlantedIncidents.FLOOD[0]));
        System.out.flush();
        return 0;
    }

    private Instant at(Instant first, int index) {
        return first.plus(bucket.multipliedBy(index));
    }
}
