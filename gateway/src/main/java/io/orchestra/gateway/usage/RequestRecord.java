package io.orchestra.gateway.usage;

/** One gateway call, as written to the {@code requests} table. */
public record RequestRecord(
        String id,
        String keyId,
        String owner,
        String alias,
        String provider,
        String model,
        String endpoint,
        boolean stream,
        int status,
        int promptTokens,
        int completionTokens,
        int cachedTokens,
        int reasoningTokens,
        double costUsd,
        double latencyMs,
        Double firstTokenMs,
        int attempts,
        String cache,
        String error,
        long createdAt) {}
