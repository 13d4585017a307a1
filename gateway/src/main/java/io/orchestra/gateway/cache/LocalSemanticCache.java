package io.orchestra.gateway.cache;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The semantic cache of one process, bounded per scope (oldest entries go first). */
public final class LocalSemanticCache implements SemanticCache {
    private record Entry(float[] vector, String response, long expiresAt) {}

    private final Function<String, float[]> embed;
    private final Clock clock;
    private final int maxPerScope;
    private final Map<String, Deque<Entry>> scopes = new ConcurrentHashMap<>();

    public LocalSemanticCache(Function<String, float[]> embed, Clock clock, int maxPerScope) {
        this.embed = embed;
        this.clock = clock;
        this.maxPerScope = maxPerScope;
    }

    @Override
    public Optional<String> lookup(SemanticQuery query, double threshold) {
        Deque<Entry> entries = scopes.get(query.scope());
        if (entries == null) {
            return Optional.empty();
        }
        float[] vector = query.vector(embed);
        long now = clock.millis();
        Entry best = null;
        double bestScore = threshold;
        synchronized (entries) {
            entries.removeIf(e -> e.expiresAt() <= now);
            for (Entry entry : entries) {
                double score = SemanticQuery.similarity(vector, entry.vector());
                if (score >= bestScore) {
                    bestScore = score;
                    best = entry;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.response());
    }

    @Override
    public void store(SemanticQuery query, String response, int ttlSeconds) {
        Entry entry = new Entry(query.vector(embed), response, clock.millis() + ttlSeconds * 1000L);
        Deque<Entry> entries = scopes.computeIfAbsent(query.scope(), s -> new ArrayDeque<>());
        synchronized (entries) {
            entries.addLast(entry);
            while (entries.size() > maxPerScope) {
                entries.removeFirst();
            }
        }
    }

    @Override
    public String kind() {
        return "in-process";
    }
}
