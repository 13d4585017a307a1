package io.orchestra.gateway.cache;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A bounded LRU with per-entry expiry. */
public final class LocalResponseCache implements ResponseCache {
    private record Cached(String value, long expiresAt) {}

    private final Clock clock;
    private final Map<String, Cached> entries;

    public LocalResponseCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized Optional<String> get(String key) {
        Cached entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAt <= clock.millis()) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.value);
    }

    @Override
    public synchronized void put(String key, String value, int ttlSeconds) {
        entries.put(key, new Cached(value, clock.millis() + ttlSeconds * 1000L));
    }

    @Override
    public String kind() {
        return "in-process";
    }
}
