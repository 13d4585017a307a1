package io.orchestra.server.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Bar charts drawn as inline SVG on the server: no chart script, nothing to load, works without JS.
 * Each has a y axis in its unit (0, half and the maximum, with gridlines), time labels under it, and
 * a tooltip per bar with the exact value and its time.
 */
public record Charts(List<Chart> charts, long totalRequests) {
    public record Bar(double x, double y, double width, double height, String label) {}

    /** A chart with its axis labels: {@code yMax} and {@code yMid} in the chart's unit, times left to right. */
    public record Chart(String title, String summary, List<Bar> bars, String yMax, String yMid, List<String> xLabels) {}

    static final double WIDTH = 600;
    static final double HEIGHT = 120;
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    static Charts of(List<TrafficStats.Minute> minutes) {
        long total = minutes.stream().mapToLong(TrafficStats.Minute::requests).sum();
        long errors = minutes.stream().mapToLong(TrafficStats.Minute::errors).sum();
        double p50 =
                minutes.stream().mapToDouble(TrafficStats.Minute::p50Ms).max().orElse(0);
        double p95 =
                minutes.stream().mapToDouble(TrafficStats.Minute::p95Ms).max().orElse(0);
        Function<TrafficStats.Minute, String> at = m -> MINUTE.format(Instant.ofEpochSecond(m.epochMinute() * 60));
        Function<TrafficStats.Minute, String> when = m -> " at " + at.apply(m) + " UTC";
        List<Chart> charts = List.of(
                chart(
                        "Requests per minute",
                        total + (total == 1 ? " request" : " requests") + " in total",
                        minutes,
                        m -> m.requests(),
                        fixed("%.0f req"),
                        when,
                        at),
                chart(
                        "Error rate (5xx) per minute",
                        total == 0
                                ? "no requests"
                                : String.format(Locale.ROOT, "%.1f%% overall", 100.0 * errors / total),
                        minutes,
                        m -> 100 * m.errorRate(),
                        fixed("%.1f%%"),
                        when,
                        at),
                chart(
                        "Latency p50 (ms)",
                        "max " + String.format(Locale.ROOT, "%.0f ms", p50),
                        minutes,
                        TrafficStats.Minute::p50Ms,
                        fixed("%.0f ms"),
                        when,
                        at),
                chart(
                        "Latency p95 (ms)",
                        "max " + String.format(Locale.ROOT, "%.0f ms", p95),
                        minutes,
                        TrafficStats.Minute::p95Ms,
                        fixed("%.0f ms"),
                        when,
                        at));
        return new Charts(minutes.isEmpty() ? List.of() : charts, total);
    }

    /** One tokens bar and one cost bar per UTC hour of today so far, from the request log. */
    record Hour(String hour, double tokens, double costUsd) {
        String when() {
            return ", " + hour + ":00 to " + hour + ":59 UTC";
        }

        String start() {
            return hour + ":00";
        }
    }

    static List<Chart> today(List<Hour> hours) {
        double tokens = hours.stream().mapToDouble(Hour::tokens).sum();
        double cost = hours.stream().mapToDouble(Hour::costUsd).sum();
        return List.of(
                chart(
                        "Tokens per hour today (UTC)",
                        String.format(Locale.ROOT, "%.0f tokens", tokens),
                        hours,
                        Hour::tokens,
                        fixed("%.0f tokens"),
                        Hour::when,
                        Hour::start),
                chart(
                        "Cost per hour today (UTC)",
                        UiFormat.usd(cost),
                        hours,
                        Hour::costUsd,
                        // Money as everywhere else: a day of cheap calls is $0.000026, not $0.0000.
                        UiFormat::usd,
                        Hour::when,
                        Hour::start));
    }

    private static DoubleFunction<String> fixed(String format) {
        return v -> String.format(Locale.ROOT, format, v);
    }

    /** The first, middle and last of {@code times}: enough to read the time axis without crowding it. */
    static List<String> axis(List<String> times) {
        if (times.isEmpty()) {
            return List.of();
        }
        if (times.size() < 3) {
            return List.copyOf(times);
        }
        return List.of(times.getFirst(), times.get(times.size() / 2), times.getLast());
    }

    private static <T> Chart chart(
            String title,
            String summary,
            List<T> items,
            ToDoubleFunction<T> value,
            DoubleFunction<String> format,
            Function<T, String> when,
            Function<T, String> time) {
        double max = items.stream().mapToDouble(value).max().orElse(0);
        double width = items.isEmpty() ? 0 : WIDTH / items.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            double v = value.applyAsDouble(items.get(i));
            double h = max == 0 ? 0 : HEIGHT * v / max;
            bars.add(new Bar(
                    i * width, HEIGHT - h, Math.max(width - 1, 0.5), h, format.apply(v) + when.apply(items.get(i))));
        }
        return new Chart(
                title,
                summary,
                bars,
                format.apply(max),
                format.apply(max / 2),
                axis(items.stream().map(time).toList()));
    }
}
