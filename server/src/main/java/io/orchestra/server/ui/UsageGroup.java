package io.orchestra.server.ui;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One group of the usage aggregates (a model, a key, a day) with its bar length: {@code share} is
 * its cost as a percentage of the largest group's, so the bars compare groups at a glance.
 */
public record UsageGroup(
        String label,
        long requests,
        long errors,
        long promptTokens,
        long completionTokens,
        double costUsd,
        double share) {

    /** Groups from {@link io.orchestra.server.gateway.RequestLog#usage} rows, largest cost first, labels mapped by {@code label}. */
    static List<UsageGroup> of(List<Map<String, Object>> rows, Function<String, String> label) {
        double max = rows.stream().mapToDouble(r -> number(r, "cost_usd")).max().orElse(0);
        return rows.stream()
                .map(r -> new UsageGroup(
                        label.apply(String.valueOf(r.get("grp"))),
                        (long) number(r, "requests"),
                        (long) number(r, "errors"),
                        (long) number(r, "prompt_tokens"),
                        (long) number(r, "completion_tokens"),
                        number(r, "cost_usd"),
                        max == 0 ? 0 : 100 * number(r, "cost_usd") / max))
                .sorted((a, b) -> Double.compare(b.costUsd, a.costUsd))
                .toList();
    }

    static double number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? 0 : ((Number) value).doubleValue();
    }
}
