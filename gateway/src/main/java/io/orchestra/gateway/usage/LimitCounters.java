package io.orchestra.gateway.usage;

/**
 * Counters for rate limits and spend, shared across replicas when Redis is configured (see
 * {@link RedisLimitCounters}) or per process otherwise ({@link LocalLimitCounters}).
 */
public interface LimitCounters {
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
