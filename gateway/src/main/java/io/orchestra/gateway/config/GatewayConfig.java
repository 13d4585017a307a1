package io.orchestra.gateway.config;

import io.orchestra.gateway.providers.ProviderSettings;
import java.util.List;
import java.util.Map;

/** The gateway's configuration: providers, routes and the reliability knobs. */
public record GatewayConfig(
        Map<String, ProviderSettings> providers,
        List<RouteConfig> routes,
        int retries,
        long backoffMillis,
        long maxBackoffMillis,
        int circuitFailures,
        long circuitWindowMillis,
        long circuitCooldownMillis,
        long firstByteTimeoutMillis,
        long streamIdleTimeoutMillis,
        boolean cacheEnabled,
        int cacheTtlSeconds,
        int cacheMaxEntries,
        double semanticThreshold) {

    public static GatewayConfig empty() {
        return new GatewayConfig(
                Map.of(), List.of(), 1, 200, 5000, 5, 30_000, 30_000, 60_000, 60_000, true, 0, 10_000, 0);
    }
}
