package io.orchestra.gateway.routing;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Targets that answered 429, each until its Retry-After passes. Back-pressure is not a fault, so
 * it is kept apart from the circuit breakers: a rate-limited target is skipped, not opened.
 */
public final class RateLimitedTargets {
    /** Without a Retry-After, a 429 rests the target this long. */
    public static final long DEFAULT_WAIT_MILLIS = 1_000;

    private final Clock clock;
    private final Map<String, Long> until = new ConcurrentHashMap<>();

    public RateLimitedTargets(Clock clock) {
        this.clock = clock;
    }

    /** Records a 429 from {@code target}; {@code retryAfterMillis} null means the provider gave none. */
    public void limited(String target, Long retryAfterMillis) {
        long wait = retryAfterMillis == null ? DEFAULT_WAIT_MILLIS : Math.max(0, retryAfterMillis);
        until.merge(target, clock.millis() + wait, Math::max);
    }

    /** Milliseconds until {@code target} may be called again; 0 when it may be called now. */
    public long waitMillis(String target) {
        Long at = until.get(target);
        if (at == null) {
            return 0;
        }
        long wait = at - clock.millis();
        if (wait <= 0) {
            until.remove(target, at);
            return 0;
        }
        return wait;
    }
}
