package io.orchestra.gateway.cache;

import java.util.Optional;

/**
 * Answers a request whose last user turn means the same as an earlier one in the same scope
 * (cosine of unit embeddings at or above the threshold). In process ({@link LocalSemanticCache})
 * or shared by every replica through Redis ({@link RedisSemanticCache}).
 */
public interface SemanticCache {
    /** The cached response closest to the query in its scope, if it is similar enough. */
    Optional<String> lookup(SemanticQuery query, double threshold);

    void store(SemanticQuery query, String response, int ttlSeconds);

    String kind();
}
