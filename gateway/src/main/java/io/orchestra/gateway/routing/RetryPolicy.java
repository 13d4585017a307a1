package io.orchestra.gateway.routing;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped; a Retry-After from the provider takes precedence. */
public record RetryPolicy(int retries, long backoffMillis, long maxBackoffMillis) {
    public long delayMillis(int attempt, Long retryAfterMillis) {
        if (retryAfterMillis != null) {
            return Math.min(retryAfterMillis, maxBackoffMillis);
        }
        long ceiling = Math.min(maxBackoffMillis, backoffMillis << Math.min(attempt, 20));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    public static Long parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return (long) (Double.parseDouble(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            try {
                long at = java.time.ZonedDateTime.parse(
                                header.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()
                        .toEpochMilli();
                return Math.max(0, at - System.currentTimeMillis());
            } catch (java.time.format.DateTimeParseException ignored) {
                return null;
            }
        }
    }
}
