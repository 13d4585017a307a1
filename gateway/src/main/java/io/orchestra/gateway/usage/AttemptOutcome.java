package io.orchestra.gateway.usage;

import java.util.Locale;

/** How one attempt at a target went; the tried ones carry a latency, the passed-over ones none. */
public enum AttemptOutcome {
    /** The target answered. */
    OK,
    /** The provider could not be reached. */
    CONNECT,
    /** No answer (or no next chunk) in time. */
    TIMEOUT,
    /** The provider answered with an error status. */
    STATUS,
    /** The stream failed before any content reached the client. */
    STREAM,
    /** Not tried: the target's circuit breaker is open. */
    CIRCUIT_OPEN,
    /** Not tried: the target is resting until its Retry-After. */
    RATE_LIMITED,
    /** Not tried: the route names a provider the configuration lacks. */
    NOT_CONFIGURED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the provider was called at all. */
    public boolean tried() {
        return this != CIRCUIT_OPEN && this != RATE_LIMITED && this != NOT_CONFIGURED;
    }

    public static AttemptOutcome fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
