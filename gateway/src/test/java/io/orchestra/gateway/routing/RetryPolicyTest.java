package io.orchestra.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(3, 100, 2_000);

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayMillis(0, null)).isBetween(50L, 100L);
            assertThat(policy.delayMillis(2, null)).isBetween(200L, 400L);
            assertThat(policy.delayMillis(10, null)).isBetween(1_000L, 2_000L);
        }
        assertThat(java.util.stream.IntStream.range(0, 200)
                        .mapToLong(i -> policy.delayMillis(3, null))
                        .distinct()
                        .count())
                .as("jittered, not fixed")
                .isGreaterThan(1);
    }

    @Test
    void retryAfterTakesPrecedenceButIsCapped() {
        assertThat(policy.delayMillis(0, 1_500L)).isEqualTo(1_500L);
        assertThat(policy.delayMillis(0, 60_000L)).isEqualTo(2_000L);
        assertThat(new RetryPolicy(3, 0, 2_000).delayMillis(5, null)).isZero();
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertThat(RetryPolicy.parseRetryAfter("2")).isEqualTo(2_000L);
        assertThat(RetryPolicy.parseRetryAfter("0.5")).isEqualTo(500L);
        assertThat(RetryPolicy.parseRetryAfter(null)).isNull();
        assertThat(RetryPolicy.parseRetryAfter("soon")).isNull();
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(10));
        assertThat(RetryPolicy.parseRetryAfter(inTenSeconds)).isBetween(8_000L, 10_000L);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(10));
        assertThat(RetryPolicy.parseRetryAfter(past)).isZero();
    }
}
