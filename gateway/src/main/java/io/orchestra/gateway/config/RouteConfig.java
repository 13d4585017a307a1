package io.orchestra.gateway.config;

import java.util.List;

/**
 * A model alias and how to serve it. {@code strategy} is {@code fallback} (targets in order) or
 * {@code loadbalance} (weighted choice, the rest as fallbacks). With {@code when}, the route applies
 * only to requests that match; routes of one alias are tried in order, first match wins.
 * {@code cacheScope} says whether cached answers stay with their owner (the default) or are shared.
 */
public record RouteConfig(
        String alias,
        String strategy,
        List<Target> targets,
        Condition when,
        int cacheTtlSeconds,
        CacheScope cacheScope) {

    /** A route whose cache entries belong to their owner. */
    public RouteConfig(String alias, String strategy, List<Target> targets, Condition when, int cacheTtlSeconds) {
        this(alias, strategy, targets, when, cacheTtlSeconds, CacheScope.OWNER);
    }

    /** Matches a request header value or a tag of the calling key. */
    public record Condition(String header, String keyTag, String equals) {}
}
