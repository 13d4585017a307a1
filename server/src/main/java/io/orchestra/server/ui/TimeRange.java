package io.orchestra.server.ui;

import java.util.List;

/** A "last N" time window the data pages offer in their range pickers; {@code millis} 0 means all time. */
public record TimeRange(String id, String label, long millis) {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    static final List<TimeRange> LOG = List.of(
            new TimeRange("1h", "Last hour", HOUR),
            new TimeRange("24h", "Last 24 hours", DAY),
            new TimeRange("7d", "Last 7 days", 7 * DAY),
            new TimeRange("30d", "Last 30 days", 30 * DAY),
            new TimeRange("all", "All time", 0));
    static final List<TimeRange> USAGE = List.of(
            new TimeRange("24h", "Last 24 hours", DAY),
            new TimeRange("7d", "Last 7 days", 7 * DAY),
            new TimeRange("30d", "Last 30 days", 30 * DAY),
            new TimeRange("90d", "Last 90 days", 90 * DAY));

    /** The window's start in epoch millis, given now. */
    long from(long now) {
        return millis == 0 ? 0 : now - millis;
    }

    static List<String> ids(List<TimeRange> ranges) {
        return ranges.stream().map(TimeRange::id).toList();
    }

    static TimeRange of(List<TimeRange> ranges, String id) {
        return ranges.stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
    }
}
