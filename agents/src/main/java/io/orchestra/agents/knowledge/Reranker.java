package io.orchestra.agents.knowledge;

import java.util.List;

/**
 * Orders passages by relevance to a query with a cross-encoder, after retrieval. Off by default
 * ({@link #OFF}); {@link HttpReranker} calls a rerank endpoint (a self-hosted one).
 */
public interface Reranker {
    Reranker OFF = new Reranker() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public List<Double> scores(String query, List<String> passages) {
            throw new IllegalStateException("no reranker is configured");
        }

        @Override
        public double minScore() {
            return 0;
        }
    };

    boolean enabled();

    /** One score per passage, in the passages' order; higher is more relevant. */
    List<Double> scores(String query, List<String> passages);

    /** Passages scored below this are not returned. */
    double minScore();
}
