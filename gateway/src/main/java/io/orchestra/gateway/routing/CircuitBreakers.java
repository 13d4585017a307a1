package io.orchestra.gateway.routing;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One breaker per target: opens after {@code failures} failures within {@code windowMillis},
 * stays open for {@code cooldownMillis}, then lets one trial request through (half-open); the
 * trial's success closes it, its failure opens it again.
 */
public final class CircuitBreakers {
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    /** A breaker's state for /api/routes/status and metrics. */
    public record Status(State state, int recentFailures, long openedAtMillis) {}

    private final Clock clock;
    private volatile int failures;
    private volatile long windowMillis;
    private volatile long cooldownMillis;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreakers(Clock clock, int failures, long windowMillis, long cooldownMillis) {
        this.clock = clock;
        configure(failures, windowMillis, cooldownMillis);
    }

    public void configure(int failures, long windowMillis, long cooldownMillis) {
        this.failures = failures;
        this.windowMillis = windowMillis;
        this.cooldownMillis = cooldownMillis;
    }

    /** Whether a request may go to the target now (claims the half-open trial if it is due). */
    public boolean allow(String target) {
        return breaker(target).allow(clock.millis());
    }

    public void success(String target) {
        breaker(target).success();
    }

    public void failure(String target) {
        breaker(target).failure(clock.millis());
    }

    public Map<String, Status> statuses() {
        Map<String, Status> out = new LinkedHashMap<>();
        breakers.forEach((target, breaker) -> out.put(target, breaker.status(clock.millis())));
        return out;
    }

    private Breaker breaker(String target) {
        return breakers.computeIfAbsent(target, t -> new Breaker());
    }

    private final class Breaker {
        private final ArrayDeque<Long> recent = new ArrayDeque<>();
        private State state = State.CLOSED;
        private long openedAt;
        private boolean trialInFlight;

        synchronized boolean allow(long now) {
            if (state == State.OPEN && now - openedAt >= cooldownMillis) {
                state = State.HALF_OPEN;
                trialInFlight = false;
            }
            if (state == State.CLOSED) {
                return true;
            }
            if (state == State.HALF_OPEN && !trialInFlight) {
                trialInFlight = true;
                return true;
            }
            return false;
        }

        synchronized void success() {
            state = State.CLOSED;
            trialInFlight = false;
            recent.clear();
        }

        synchronized void failure(long now) {
            if (state == State.HALF_OPEN) {
                open(now);
                return;
            }
            recent.addLast(now);
            while (!recent.isEmpty() && now - recent.peekFirst() > windowMillis) {
                recent.removeFirst();
            }
            if (recent.size() >= failures) {
                open(now);
            }
        }

        private void open(long now) {
            state = State.OPEN;
            openedAt = now;
            trialInFlight = false;
            recent.clear();
        }

        synchronized Status status(long now) {
            State shown = state == State.OPEN && now - openedAt >= cooldownMillis ? State.HALF_OPEN : state;
            return new Status(shown, recent.size(), state == State.CLOSED ? 0 : openedAt);
        }
    }
}
