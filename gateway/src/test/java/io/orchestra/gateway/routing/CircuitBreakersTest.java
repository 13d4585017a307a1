package io.orchestra.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.gateway.routing.CircuitBreakers.State;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        void advance(long by) {
            millis.addAndGet(by);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock clock = new ManualClock();
    final CircuitBreakers breakers = new CircuitBreakers(clock, 3, 10_000, 5_000);

    @Test
    void opensAfterFailuresWithinTheWindowOnly() {
        breakers.failure("a");
        breakers.failure("a");
        clock.advance(10_001);
        breakers.failure("a");
        assertThat(breakers.allow("a"))
                .as("the first two failures left the window")
                .isTrue();
        breakers.failure("a");
        breakers.failure("a");
        assertThat(breakers.allow("a")).isFalse();
        assertThat(breakers.statuses().get("a").state()).isEqualTo(State.OPEN);
        assertThat(breakers.allow("b")).as("breakers are per target").isTrue();
    }

    @Test
    void halfOpensAfterTheCooldownWithASingleTrial() {
        for (int i = 0; i < 3; i++) {
            breakers.failure("a");
        }
        clock.advance(4_999);
        assertThat(breakers.allow("a")).isFalse();
        clock.advance(1);
        assertThat(breakers.statuses().get("a").state()).isEqualTo(State.HALF_OPEN);
        assertThat(breakers.allow("a")).as("the trial").isTrue();
        assertThat(breakers.allow("a")).as("only one trial at a time").isFalse();
        breakers.success("a");
        assertThat(breakers.statuses().get("a").state()).isEqualTo(State.CLOSED);
        assertThat(breakers.allow("a")).isTrue();
    }

    @Test
    void aFailedTrialOpensTheBreakerAgainForAFullCooldown() {
        for (int i = 0; i < 3; i++) {
            breakers.failure("a");
        }
        clock.advance(5_000);
        assertThat(breakers.allow("a")).isTrue();
        breakers.failure("a");
        assertThat(breakers.statuses().get("a").state()).isEqualTo(State.OPEN);
        clock.advance(4_000);
        assertThat(breakers.allow("a")).isFalse();
        clock.advance(1_000);
        assertThat(breakers.allow("a")).isTrue();
    }

    @Test
    void reconfiguringChangesTheThreshold() {
        breakers.configure(1, 10_000, 5_000);
        breakers.failure("a");
        assertThat(breakers.allow("a")).isFalse();
    }
}
