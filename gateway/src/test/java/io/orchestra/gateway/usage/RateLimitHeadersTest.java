package io.orchestra.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
    @Test
    void writesResetsLikeOpenAiAndRetryAfterInWholeSecondsRoundedUp() {
        assertThat(RateLimitHeaders.duration(20)).isEqualTo("20ms");
        assertThat(RateLimitHeaders.duration(1_000)).isEqualTo("1s");
        assertThat(RateLimitHeaders.duration(1_500)).isEqualTo("1.5s");
        assertThat(RateLimitHeaders.duration(59_873)).isEqualTo("59.873s");
        assertThat(RateLimitHeaders.duration(60_000)).isEqualTo("1m0s");
        assertThat(RateLimitHeaders.duration(360_000)).isEqualTo("6m0s");
        assertThat(RateLimitHeaders.of(1_001, new RateLimitHeaders.Window("requests", 10, 12, 1_001)))
                .containsEntry("Retry-After", "2")
                .containsEntry("x-ratelimit-limit-requests", "10")
                .containsEntry("x-ratelimit-remaining-requests", "0")
                .containsEntry("x-ratelimit-reset-requests", "1.001s");
        assertThat(RateLimitHeaders.of(10)).containsOnlyKeys("Retry-After").containsEntry("Retry-After", "1");
    }

    @Test
    void budgetsReadAsDollarsNotScientificNotation() {
        assertThat(Limits.usd(0.0005)).isEqualTo("$0.0005");
        assertThat(Limits.usd(0.00002)).isEqualTo("$0.00002");
        assertThat(Limits.usd(5.0)).isEqualTo("$5");
        assertThat(Limits.usd(12.5)).isEqualTo("$12.5");
    }
}
