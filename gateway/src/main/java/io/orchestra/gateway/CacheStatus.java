package io.orchestra.gateway;

import java.util.Locale;

/** How the cache took part in a call. */
public enum CacheStatus {
    /** The cache was not consulted (off for the route, or the client sent no-cache). */
    OFF,
    MISS,
    HIT,
    /** A hit of the semantic cache: a similar question, not the same request. */
    SEMANTIC_HIT;

    /** The value of {@code x-orchestra-cache} and of the request log's cache column: both hits are "hit". */
    public String wire() {
        return this == SEMANTIC_HIT ? "hit" : name().toLowerCase(Locale.ROOT);
    }

    /** The metric label, where the kind of hit shows. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean hit() {
        return this == HIT || this == SEMANTIC_HIT;
    }
}
