package io.orchestra.gateway.config;

import io.orchestra.core.config.Secrets;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.Providers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code gateway:} section of orchestra.yaml (or a JSON route from /api/routes),
 * collecting every problem. {@code ${VAR}} in values is replaced from the environment, so keys stay
 * out of the file.
 */
public final class GatewayConfigParser {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._:/-]{1,100}");

    private final Function<String, String> environment;

    public GatewayConfigParser(Function<String, String> environment) {
        this.environment = environment;
    }

    public GatewayConfig parse(JsonNode gateway, List<String> problems) {
        GatewayConfig defaults = GatewayConfig.empty();
        if (gateway == null || gateway.isMissingNode() || gateway.isNull()) {
            return defaults;
        }
        Map<String, ProviderSettings> providers = new LinkedHashMap<>();
        Map<String, List<String>> providerModels = new LinkedHashMap<>();
        JsonNode providerNodes = gateway.path("providers");
        for (Map.Entry<String, JsonNode> entry : providerNodes.properties()) {
            String name = entry.getKey();
            JsonNode p = entry.getValue();
            String kind = text(p, "kind", name);
            if (Providers.byKind(kind).isEmpty()) {
                problems.add(
                        "gateway.providers." + name + ".kind = '" + kind + "': expected one of " + Providers.kinds());
                continue;
            }
            String baseUrl = text(p, "base_url", Providers.defaultBaseUrl(kind));
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                problems.add("gateway.providers." + name + ".base_url = '" + Secrets.maskUrl(String.valueOf(baseUrl))
                        + "': expected an http(s) URL");
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            p.path("headers")
                    .properties()
                    .forEach(h -> headers.put(h.getKey(), resolve(h.getValue().asString(""))));
            providers.put(
                    name, new ProviderSettings(name, kind, baseUrl, text(p, "api_key", null), Map.copyOf(headers)));
            List<String> models = new ArrayList<>();
            JsonNode modelNodes = p.path("models");
            if (!modelNodes.isMissingNode() && !modelNodes.isArray()) {
                problems.add("gateway.providers." + name + ".models: a list of model names");
            }
            for (JsonNode model : modelNodes) {
                if (model.isString() && !model.asString().isBlank()) {
                    models.add(model.asString());
                } else {
                    problems.add("gateway.providers." + name + ".models: '" + model + "' is not a model name");
                }
            }
            providerModels.put(name, List.copyOf(models));
        }
        List<RouteConfig> routes = new ArrayList<>();
        int i = 0;
        for (JsonNode r : gateway.path("routes")) {
            RouteConfig route = route(r, "gateway.routes[" + i++ + "]", providers, problems);
            if (route != null) {
                routes.add(route);
            }
        }
        JsonNode retry = gateway.path("retry");
        JsonNode circuit = gateway.path("circuit_breaker");
        JsonNode timeouts = gateway.path("timeouts");
        JsonNode cache = gateway.path("cache");
        return new GatewayConfig(
                Map.copyOf(providers),
                List.copyOf(routes),
                number(retry, "attempts", defaults.retries(), 0, 10, "gateway.retry.attempts", problems),
                number(
                        retry,
                        "backoff_ms",
                        (int) defaults.backoffMillis(),
                        0,
                        60_000,
                        "gateway.retry.backoff_ms",
                        problems),
                number(
                        retry,
                        "max_backoff_ms",
                        (int) defaults.maxBackoffMillis(),
                        0,
                        300_000,
                        "gateway.retry.max_backoff_ms",
                        problems),
                number(
                        circuit,
                        "failures",
                        defaults.circuitFailures(),
                        1,
                        1000,
                        "gateway.circuit_breaker.failures",
                        problems),
                number(
                        circuit,
                        "window_ms",
                        (int) defaults.circuitWindowMillis(),
                        100,
                        3_600_000,
                        "gateway.circuit_breaker.window_ms",
                        problems),
                number(
                        circuit,
                        "cooldown_ms",
                        (int) defaults.circuitCooldownMillis(),
                        10,
                        3_600_000,
                        "gateway.circuit_breaker.cooldown_ms",
                        problems),
                number(
                        timeouts,
                        "first_byte_ms",
                        (int) defaults.firstByteTimeoutMillis(),
                        10,
                        3_600_000,
                        "gateway.timeouts.first_byte_ms",
                        problems),
                number(
                        timeouts,
                        "stream_idle_ms",
                        (int) defaults.streamIdleTimeoutMillis(),
                        10,
                        3_600_000,
                        "gateway.timeouts.stream_idle_ms",
                        problems),
                cache.path("enabled").asBoolean(defaults.cacheEnabled()),
                number(
                        cache,
                        "ttl_seconds",
                        defaults.cacheTtlSeconds(),
                        0,
                        30 * 86_400,
                        "gateway.cache.ttl_seconds",
                        problems),
                number(
                        cache,
                        "max_entries",
                        defaults.cacheMaxEntries(),
                        1,
                        10_000_000,
                        "gateway.cache.max_entries",
                        problems),
                threshold(cache.path("semantic_threshold"), problems),
                number(
                        gateway.path("limits"),
                        "default_max_tokens",
                        defaults.defaultMaxTokens(),
                        1,
                        10_000_000,
                        "gateway.limits.default_max_tokens",
                        problems),
                Map.copyOf(providerModels));
    }

    /** One route; also used for routes sent to /api/routes. */
    public RouteConfig route(JsonNode r, String where, Map<String, ProviderSettings> providers, List<String> problems) {
        int before = problems.size();
        String alias = r.path("alias").asString("");
        if (!ALIAS.matcher(alias).matches()) {
            problems.add(where + ".alias: 1 to 100 letters, digits and . _ : / -");
        }
        String strategy = r.path("strategy").asString("fallback");
        if (!strategy.equals("fallback") && !strategy.equals("loadbalance")) {
            problems.add(where + ".strategy = '" + strategy + "': expected fallback or loadbalance");
        }
        List<Target> targets = new ArrayList<>();
        JsonNode targetNodes = r.path("targets");
        if (!targetNodes.isArray() || targetNodes.isEmpty()) {
            problems.add(where + ".targets: at least one target");
        }
        int t = 0;
        for (JsonNode target : targetNodes) {
            String at = where + ".targets[" + t++ + "]";
            String provider = target.path("provider").asString("");
            String model = target.path("model").asString("");
            if (!providers.containsKey(provider)) {
                problems.add(at + ".provider = '" + provider + "': expected one of the configured providers "
                        + providers.keySet());
            }
            if (model.isBlank()) {
                problems.add(at + ".model: required");
            }
            int weight = number(target, "weight", 1, 0, 1000, at + ".weight", problems);
            int timeout = number(target, "timeout_ms", 120_000, 10, 3_600_000, at + ".timeout_ms", problems);
            targets.add(new Target(provider, model, weight, timeout));
        }
        RouteConfig.Condition when = null;
        JsonNode w = r.path("when");
        if (w.isObject()) {
            String header = w.path("header").isString() ? w.path("header").asString() : null;
            String tag = w.path("key_tag").isString() ? w.path("key_tag").asString() : null;
            if ((header == null) == (tag == null)) {
                problems.add(where + ".when: exactly one of header or key_tag");
            }
            if (header != null && !w.path("equals").isString()) {
                problems.add(where + ".when.equals: required with header");
            }
            when = new RouteConfig.Condition(
                    header, tag, w.path("equals").isString() ? w.path("equals").asString() : null);
        }
        int ttl = number(r, "cache_ttl_seconds", -1, -1, 30 * 86_400, where + ".cache_ttl_seconds", problems);
        CacheScope scope = cacheScope(r.path("cache_scope"), where + ".cache_scope", problems);
        return problems.size() == before
                ? new RouteConfig(alias, strategy, List.copyOf(targets), when, ttl, scope)
                : null;
    }

    private static CacheScope cacheScope(JsonNode value, String where, List<String> problems) {
        if (value.isMissingNode() || value.isNull()) {
            return CacheScope.OWNER;
        }
        Optional<CacheScope> scope = value.isString() ? CacheScope.parse(value.asString()) : Optional.empty();
        if (scope.isEmpty()) {
            problems.add(where + " = '" + (value.isString() ? value.asString() : value.toString())
                    + "': expected owner (each owner's answers kept apart) or global (shared by every owner)");
        }
        return scope.orElse(CacheScope.OWNER);
    }

    private static double threshold(JsonNode value, List<String> problems) {
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
            problems.add("gateway.cache.semantic_threshold = '" + value
                    + "': expected 0 (off) or a similarity up to 1, like 0.95");
            return 0;
        }
        return value.asDouble();
    }

    private String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isString() ? resolve(value.asString()) : fallback;
    }

    /** Replaces ${VAR} and ${VAR:-default} from the environment. */
    public String resolve(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = environment.apply(m.group(1));
            if (replacement == null) {
                replacement = m.group(2) == null ? "" : m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int number(
            JsonNode node, String field, int fallback, int min, int max, String where, List<String> problems) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            problems.add(where + " = '" + value + "': expected a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }
}
