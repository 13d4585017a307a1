package io.orchestra.server.ui;

import java.util.ArrayList;
import java.util.List;
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
        double p95 = minutes.stream().mapToDouble(TrafficStats.Minute::p95Ms).max().orElse(0);
        List<Chart> charts = List.of(
                chart("Requests per minute", total + " requests", minutes, m -> m.requests(), "%.0f req"),
                chart("Error rate (5xx)", total == 0 ? "no requests" : String.format("%.1f%%", 100.0 * errors / total), minutes, m -> 100 * m.errorRate(), "%.1f%%"),
                chart("Latency p50 (ms)", "", minutes, TrafficStats.Minute::p50Ms, "%.0f ms"),
                chart("Latency p95 (ms)", "max " + String.format("%.0f ms", p95), minutes, TrafficStats.Minute::p95Ms, "%.0f ms"));
        return new Charts(minutes.isEmpty() ? List.of() : charts, total);
    }

    private static Chart chart(String title, String summary, List<TrafficStats.Minute> minutes, ToDoubleFunction<TrafficStats.Minute> value, String format) {
        double max = minutes.stream().mapToDouble(value).max().orElse(0);
        double width = minutes.isEmpty() ? 0 : WIDTH / minutes.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < minutes.size(); i++) {
            double v = value.applyAsDouble(minutes.get(i));
            double h = max == 0 ? 0 : HEIGHT * v / max;
            bars.add(new Bar(i * width, HEIGHT - h, Math.max(width - 1, 0.5), h, String.format(format, v)));
        }
        return new Chart(title, summary, bars);
    }
}
