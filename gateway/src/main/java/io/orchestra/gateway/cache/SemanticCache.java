package io.orchestra.gateway.cache;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers a request whose last user turn means the same as an earlier one (cosine of unit
 * embeddings at or above the threshold), within the same scope: alias, model parameters and
 * system prompt. In process, bounded per scope; off unless a threshold is configured.
 */
public final class SemanticCache {
    private record Entry(float[] vector, String response, long expiresAt) {}

    private final Function<String, float[]> embed;
    private final Clock clock;
    private final int maxPerScope;
    private final Map<String, Deque<Entry>> scopes = new ConcurrentHashMap<>();

    public SemanticCache(Function<String, float[]> embed, Clock clock, int maxPerScope) {
        this.embed = embed;
        this.clock = clock;
        this.maxPerScope = maxPerScope;
    }

    /** The cached response closest to {@code text} in {@code scope}, if it is similar enough. */
    public Optional<String> lookup(String scope, String text, double threshold) {
        Deque<Entry> entries = scopes.get(scope);
        if (entries == null) {
            return Optional.empty();
        }
        float[] query = embed.apply(text);
        long now = clock.millis();
        Entry best = null;
        double bestScore = threshold;
        synchronized (entries) {
            entries.removeIf(e -> e.expiresAt() <= now);
            for (Entry entry : entries) {
                double score = cosine(query, entry.vector());
                if (score >= bestScore) {
                    bestScore = score;
                    best = entry;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.response());
    }

    public void store(String scope, String text, String response, int ttlSeconds) {
        Entry entry = new Entry(embed.apply(text), response, clock.millis() + ttlSeconds * 1000L);
        Deque<Entry> entries = scopes.computeIfAbsent(scope, s -> new ArrayDeque<>());
        synchronized (entries) {
            entries.addLast(entry);
            while (entries.size() > maxPerScope) {
                entries.removeFirst();
            }
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length && i < b.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
