package io.orchestra.gateway;

import io.orchestra.core.auth.Principal;
import io.orchestra.gateway.cache.SemanticQuery;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.RouteConfig;
import io.orchestra.gateway.config.Target;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** What one call is: resolved once, used by every attempt and by the recorder. */
record Call(
        String id,
        Principal caller,
        Endpoint endpoint,
        boolean stream,
        String alias,
        RouteConfig route,
        List<Target> targets,
        GatewayConfig settings,
        ObjectNode request,
        String cacheKey,
        int cacheTtl,
        long startNanos,
        SemanticQuery semantic) {

    /** The cache status of an answer that came from upstream. */
    CacheStatus missStatus() {
        return cacheKey == null ? CacheStatus.OFF : CacheStatus.MISS;
    }
}
