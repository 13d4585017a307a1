package io.orchestra.gateway.usage;

/**
 * Counters for rate limits and spend, shared across replicas when Redis is configured (see
 * {@link RedisLimitCounters}) or per process otherwise ({@link LocalLimitCounters}). Windows are
 * fixed: window {@code n} covers {@code [n * windowMillis, (n + 1) * windowMillis)}.
 */
public interface LimitCounters {
    /** The outcome of {@link #reserve}: whether the amount fit, the window's total after it, and which window. */
    record Reservation(boolean admitted, long total, long window) {}

    /**
     * Atomically adds {@code amount} to the current window if the total stays within {@code limit};
     * otherwise adds nothing. Concurrent callers can never together pass the limit.
     */
    Reservation reserve(String name, long amount, long limit, long windowMillis);

    /** Adds {@code amount} (negative to give back part of a reservation) to the given window. */
    void adjust(String name, long window, long amount, long windowMillis);

    /** Atomically adds {@code amount} to the counter of the current fixed window; returns the new total. */
    long addToWindow(String name, long amount, long windowMillis);

    /** The current fixed window's total. */
    long window(String name, long windowMillis);

    /** Atomically adds spend in micro-dollars to a named period (e.g. a day); returns the new total. */
    long addSpend(String name, long microUsd, long ttlMillis);

    long spend(String name);

    /** Where the counters live, for /api/health. */
    String kind();
}
