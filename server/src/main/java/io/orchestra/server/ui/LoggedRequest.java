package io.orchestra.server.ui;

import java.time.Instant;
import java.util.Map;

/** One row of the request log as the UI shows it (read from {@link io.orchestra.server.gateway.RequestLog}'s raw rows). */
public record LoggedRequest(String id, String keyId, String owner, String alias, String provider, String model, String endpoint,
        boolean stream, int status, int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens, double costUsd,
        double latencyMs, Double firstTokenMs, int attempts, String cache, String error, Instant createdAt) {

    static LoggedRequest of(Map<String, Object> row) {
        return new LoggedRequest((String) row.get("id"), (String) row.get("key_id"), (String) row.get("owner"), (String) row.get("alias"),
                (String) row.get("provider"), (String) row.get("model"), (String) row.get("endpoint"), number(row, "stream") != 0,
                (int) number(row, "status"), (int) number(row, "prompt_tokens"), (int) number(row, "completion_tokens"),
                (int) number(row, "cached_tokens"), (int) number(row, "reasoning_tokens"), number(row, "cost_usd"),
                number(row, "latency_ms"), row.get("first_token_ms") == null ? null : number(row, "first_token_ms"),
                (int) number(row, "attempts"), (String) row.get("cache"), (String) row.get("error"),
                Instant.ofEpochMilli((long) number(row, "created_at")));
    }

    public boolean failed() {
        return status >= 400;
    }

    /** The model that answered, or the alias asked for when none did. */
    public String modelShown() {
        return model == null ? alias : model;
    }

    private static double number(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? 0 : ((Number) value).doubleValue();
    }
}
