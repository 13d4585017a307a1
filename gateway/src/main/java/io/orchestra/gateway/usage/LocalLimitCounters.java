package io.orchestra.gateway.usage;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters in this process: correct for one replica. */
public final class LocalLimitCounters implements LimitCounters {
    private final Clock clock;
    private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public LocalLimitCounters(Clock clock) {
        this.clock = clock;
    }

    private AtomicLong counter(String name, long window) {
        if (counters.size() > 100_000) {
            counters.clear();
        }
        return counters.computeIfAbsent(name + ":" + window, k -> new AtomicLong());
    }

    @Override
    public Reservation reserve(String name, long amount, long limit, long windowMillis) {
        long window = clock.millis() / windowMillis;
        AtomicLong counter = counter(name, window);
        while (true) {
            long total = counter.get();
            if (total + amount > limit) {
                return new Reservation(false, total, window);
            }
            if (counter.compareAndSet(total, total + amount)) {
                return new Reservation(true, total + amount, window);
            }
        }
    }

    @Override
    public void adjust(String name, long window, long amount, long windowMillis) {
        if (window >= clock.millis() / windowMillis - 1) {
            counter(name, window).addAndGet(amount);
        }
    }

    @Override
    public long addToWindow(String name, long amount, long windowMillis) {
        return counter(name, clock.millis() / windowMillis).addAndGet(amount);
    }

    @Override
    public long window(String name, long windowMillis) {
        AtomicLong value = counters.get(name + ":" + clock.millis() / windowMillis);
        return value == null ? 0 : value.get();
    }

    @Override
    public long addSpend(String name, long microUsd, long ttlMillis) {
        return counters.computeIfAbsent("spend:" + name, k -> new AtomicLong()).addAndGet(microUsd);
    }

    @Override
    public long spend(String name) {
        AtomicLong value = counters.get("spend:" + name);
        return value == null ? 0 : value.get();
    }

    @Override
    public String kind() {
        return "in-process";
    }
}
