package io.shoplake.devstack.simulator;

import io.shoplake.devstack.kafka.KafkaAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Clickstream traffic with incidents planted at known times, for testing anomaly alerts: a
 * steady {@value #NORMAL} clicks per bucket, a burst, a stop and a flood of records that are
 * not JSON. Each record's Kafka timestamp (and a click's {@code ts}) is the time it stands for,
 * so half an hour of buckets is sent in seconds and reads, by those timestamps, as if it had
 * happened then.
 *
 * <p>The plan, by bucket index from the start:
 * <ul>
 *   <li>{@value #NORMAL} clicks in every bucket, except:
 *   <li>{@link #BURST}: {@value #BURST_CLICKS} clicks each;
 *   <li>{@link #STOP}: nothing at all;
 *   <li>{@link #FLOOD}: the usual clicks and {@value #MALFORMED} records that are not JSON each.
 * </ul>
 */
public final class PlantedIncidents {
    public static final int BUCKETS = 30;
    public static final int NORMAL = 30;
    public static final int BURST_CLICKS = 150;
    public static final int MALFORMED = 40;
    /** First and last bucket (inclusive) of each incident. */
    public static final int[] BURST = {10, 11};
    public static final int[] STOP = {15, 19};
    public static final int[] FLOOD = {22, 23};

    private final KafkaAccess kafka;
    private final String topic;
    private final Random random;

    public PlantedIncidents(KafkaAccess kafka, String topic, long seed) {
        this.kafka = kafka;
        this.topic = topic;
        this.random = new Random(seed);
    }

    /** Clicks and malformed records the plan has in {@code bucket}. */
    static int clicks(int bucket) {
        if (within(bucket, STOP)) return 0;
        return within(bucket, BURST) ? BURST_CLICKS : NORMAL;
    }

    static int malformed(int bucket) {
        return within(bucket, FLOOD) ? MALFORMED : 0;
    }

    private static boolean within(int bucket, int[] span) {
        return bucket >= span[0] && bucket <= span[1];
    }

    /**
     * Sends buckets {@code from} to {@code to} (inclusive) of the plan, bucket {@code i} starting
     * at {@code start + i × bucket}, each record at its own moment within its bucket; returns
     * {clicks, malformed} sent. Returns once the broker has acknowledged every record.
     */
    public long[] send(Instant start, Duration bucket, int from, int to) {
        if (from < 0 || to >= BUCKETS || from > to) {
            throw new IllegalArgumentException("buckets " + from + "-" + to + " are not within the plan's 0-" + (BUCKETS - 1));
        }
        long clicks = 0;
        long malformed = 0;
        List<String> channels = List.of("web", "app");
        try (Clickstream cs = new Clickstream(kafka, topic, random)) {
            for (int i = from; i <= to; i++) {
                Instant bucketStart = start.plus(bucket.multipliedBy(i));
                int n = clicks(i) + malformed(i);
                for (int k = 0; k < n; k++) {
                    Instant at = bucketStart.plus(bucket.multipliedBy(k).dividedBy(n));
                    String sessionId = "sess-planted-" + (k % 7);
                    if (k < clicks(i)) {
                        Session s = new Session(sessionId, null, channels.get(k % 2), "home", 1);
                        cs.send(s, 1L + random.nextInt(50), "view", a -> a.put("page", "product"), at);
                        clicks++;
                    } else {
                        cs.sendRaw(sessionId, "{\"event_id\": \"cut short", at);
                        malformed++;
                    }
                }
            }
        }
        return new long[] {clicks, malformed};
    }
}
