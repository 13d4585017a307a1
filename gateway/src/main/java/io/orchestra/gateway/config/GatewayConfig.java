package io.orchestra.gateway.config;

import io.orchestra.gateway.providers.ProviderSettings;
import java.util.List;
import java.util.Map;

/** The gateway's configuration: providers, routes, the reliability knobs and the limits' defaults. */
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
        double semanticThreshold,
        int defaultMaxTokens,
        Map<String, List<String>> providerModels) {

    /**
     * Completion tokens a tokens-per-minute limit reserves for a call that sets neither
     * {@code max_tokens} nor {@code max_completion_tokens}, until its real usage is known.
     */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    /**
     * The models a provider may be called with directly as {@code provider/model}: those listed
     * under its {@code models} and those any route targets on it. Anything else is unknown.
     */
    public boolean offers(String provider, String model) {
        if (!providers.containsKey(provider)) {
            return false;
        }
        if (providerModels.getOrDefault(provider, List.of()).contains(model)) {
            return true;
        }
        return routes.stream()
                .flatMap(r -> r.targets().stream())
                .anyMatch(t -> t.provider().equals(provider) && t.model().equals(model));
    }

    public static GatewayConfig empty() {
        return new GatewayConfig(
                Map.of(),
                List.of(),
                1,
                200,
                5000,
                5,
                30_000,
                30_000,
                60_000,
                60_000,
                true,
                0,
                10_000,
                0,
                DEFAULT_MAX_TOKENS,
                Map.of());
    }
}
