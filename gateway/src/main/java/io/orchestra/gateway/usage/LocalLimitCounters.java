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

    private String windowKey(String name, long windowMillis) {
        return name + ":" + clock.millis() / windowMillis;
    }

    @Override
    public long addToWindow(String name, long amount, long windowMillis) {
        if (counters.size() > 100_000) {
            counters.clear();
        }
        return counters.computeIfAbsent(windowKey(name, windowMillis), k -> new AtomicLong())
                .addAndGet(amount);
    }

    @Override
    public long window(String name, long windowMillis) {
        AtomicLong value = counters.get(windowKey(name, windowMillis));
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
