package io.orchestra.gateway.usage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a 429 that Orchestra itself sends: {@code Retry-After} in whole seconds and, for
 * each per-minute limit the key has, OpenAI's {@code x-ratelimit-limit-*}, {@code -remaining-*}
 * and {@code -reset-*} (a duration like {@code 1s}, {@code 250ms} or {@code 1m0s}), so SDKs and
 * clients that back off on OpenAI's headers back off on ours.
 */
final class RateLimitHeaders {
    /** One per-minute limit as the client should see it. */
    record Window(String kind, long limit, long used, long resetMillis) {}

    private RateLimitHeaders() {}

    static Map<String, String> of(long retryAfterMillis, Window... windows) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
        for (Window window : windows) {
            if (window == null) {
                continue;
            }
            headers.put("x-ratelimit-limit-" + window.kind(), Long.toString(window.limit()));
            headers.put(
                    "x-ratelimit-remaining-" + window.kind(),
                    Long.toString(Math.max(0, window.limit() - window.used())));
            headers.put("x-ratelimit-reset-" + window.kind(), duration(window.resetMillis()));
        }
        return headers;
    }

    /** A duration the way OpenAI writes its reset headers: {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return Math.max(0, millis) + "ms";
        }
        long minutes = millis / 60_000;
        long rest = millis % 60_000;
        String seconds = rest % 1000 == 0
                ? Long.toString(rest / 1000)
                : java.math.BigDecimal.valueOf(rest, 3).stripTrailingZeros().toPlainString();
        return (minutes > 0 ? minutes + "m" : "") + seconds + "s";
    }
}
