package io.orchestra.server.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Bar charts drawn as inline SVG on the server: no chart script, nothing to load, works without JS. */
public record Charts(List<Chart> charts, long totalRequests) {
    public record Bar(double x, double y, double width, double height, String label) {}

    public record Chart(String title, String summary, List<Bar> bars) {}

    static final double WIDTH = 600;
    static final double HEIGHT = 120;

    static Charts of(List<TrafficStats.Minute> minutes) {
        long total = minutes.stream().mapToLong(TrafficStats.Minute::requests).sum();
        long errors = minutes.stream().mapToLong(TrafficStats.Minute::errors).sum();
        double p95 =
                minutes.stream().mapToDouble(TrafficStats.Minute::p95Ms).max().orElse(0);
        List<Chart> charts = List.of(
                chart("Requests per minute", total + " requests", minutes, m -> m.requests(), "%.0f req", m -> ""),
                chart(
                        "Error rate (5xx)",
                        total == 0 ? "no requests" : String.format("%.1f%%", 100.0 * errors / total),
                        minutes,
                        m -> 100 * m.errorRate(),
                        "%.1f%%",
                        m -> ""),
                chart("Latency p50 (ms)", "", minutes, TrafficStats.Minute::p50Ms, "%.0f ms", m -> ""),
                chart(
                        "Latency p95 (ms)",
                        "max " + String.format("%.0f ms", p95),
                        minutes,
                        TrafficStats.Minute::p95Ms,
                        "%.0f ms",
                        m -> ""));
        return new Charts(minutes.isEmpty() ? List.of() : charts, total);
    }

    /** One tokens bar and one cost bar per UTC hour of today so far, from the request log. */
    record Hour(String hour, double tokens, double costUsd) {
        String when() {
            return " at " + hour + ":00";
        }
    }

    static List<Chart> today(List<Hour> hours) {
        double tokens = hours.stream().mapToDouble(Hour::tokens).sum();
        double cost = hours.stream().mapToDouble(Hour::costUsd).sum();
        return List.of(
                chart(
                        "Tokens per hour today (UTC)",
                        String.format("%.0f tokens", tokens),
                        hours,
                        Hour::tokens,
                        "%.0f tokens",
                        Hour::when),
                chart(
                        "Cost per hour today (UTC)",
                        String.format("$%.4f", cost),
                        hours,
                        Hour::costUsd,
                        "$%.4f",
                        Hour::when));
    }

    private static <T> Chart chart(
            String title,
            String summary,
            List<T> items,
            ToDoubleFunction<T> value,
            String format,
            Function<T, String> when) {
        double max = items.stream().mapToDouble(value).max().orElse(0);
        double width = items.isEmpty() ? 0 : WIDTH / items.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            double v = value.applyAsDouble(items.get(i));
            double h = max == 0 ? 0 : HEIGHT * v / max;
            bars.add(new Bar(
                    i * width,
                    HEIGHT - h,
                    Math.max(width - 1, 0.5),
                    h,
                    String.format(format, v) + when.apply(items.get(i))));
        }
        return new Chart(title, summary, bars);
    }
}
