package io.orchestra.server.ui;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-minute request aggregates for the last 24 hours, in a ring buffer fed by every HTTP request:
 * count, errors (status >= 500) and a latency histogram for p50/p95. Memory is fixed.
 */
public final class TrafficStats {
    static final int MINUTES = 24 * 60;
    /** Latency histogram bucket upper bounds in milliseconds; the last bucket is open. */
    private static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000};

    /** One minute's aggregate as shown on the overview. */
    public record Minute(long epochMinute, long requests, long errors, double p50Ms, double p95Ms) {
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    private final Clock clock;
    private final long[] minuteOf = new long[MINUTES];
    private final long[] requests = new long[MINUTES];
    private final long[] errors = new long[MINUTES];
    private final long[][] histogram = new long[MINUTES][BOUNDS_MS.length + 1];

    public TrafficStats(Clock clock) {
        this.clock = clock;
        Arrays.fill(minuteOf, -1);
    }

    public synchronized void record(int status, long durationMillis) {
        long minute = clock.millis() / 60_000;
        int slot = (int) (minute % MINUTES);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            requests[slot] = 0;
            errors[slot] = 0;
            Arrays.fill(histogram[slot], 0);
        }
        requests[slot]++;
        if (status >= 500) {
            errors[slot]++;
        }
        histogram[slot][bucket(durationMillis)]++;
    }

    /** The last {@code count} minutes, oldest first, including empty minutes. */
    public synchronized List<Minute> lastMinutes(int count) {
        long now = clock.millis() / 60_000;
        List<Minute> result = new ArrayList<>(count);
        for (long minute = now - count + 1; minute <= now; minute++) {
            int slot = (int) (minute % MINUTES);
            if (minuteOf[slot] != minute) {
                result.add(new Minute(minute, 0, 0, 0, 0));
            } else {
                result.add(new Minute(
                        minute,
                        requests[slot],
                        errors[slot],
                        quantile(histogram[slot], requests[slot], 0.50),
                        quantile(histogram[slot], requests[slot], 0.95)));
            }
        }
        return result;
    }

    private static int bucket(long millis) {
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            if (millis <= BOUNDS_MS[i]) {
                return i;
            }
        }
        return BOUNDS_MS.length;
    }

    /** The upper bound of the bucket holding the quantile: coarse, but honest about its resolution. */
    private static double quantile(long[] counts, long total, double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i < BOUNDS_MS.length ? BOUNDS_MS[i] : BOUNDS_MS[BOUNDS_MS.length - 1] * 2.0;
            }
        }
        return 0;
    }
}
