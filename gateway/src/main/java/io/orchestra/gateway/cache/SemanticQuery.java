package io.orchestra.gateway.cache;

import java.util.function.Function;

/**
 * One request as the semantic cache sees it: its scope (alias, parameters, system prompt and
 * earlier turns, hashed) and its last user turn, embedded at most once for lookup and store.
 */
public final class SemanticQuery {
    private final String scope;
    private final String text;
    private float[] vector;

    public SemanticQuery(String scope, String text) {
        this.scope = scope;
        this.text = text;
    }

    public String scope() {
        return scope;
    }

    /** The unit embedding of the last user turn (computed on first use). */
    public synchronized float[] vector(Function<String, float[]> embed) {
        if (vector == null) {
            vector = embed.apply(text);
        }
        return vector;
    }

    /** Cosine similarity of unit vectors: the dot product. */
    static double similarity(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length && i < b.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
