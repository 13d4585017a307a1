package io.orchestra.gateway.routing;

import io.orchestra.core.error.ProblemException;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.RouteConfig;
import io.orchestra.gateway.config.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** Picks the route for a model alias and orders its targets: the attempts the gateway will make. */
public final class Router {
    private Router() {}

    /**
     * @param headers a request header by lower-case name (null if absent)
     * @param keyTags the calling key's tags
     */
    public static Optional<RouteConfig> route(
            List<RouteConfig> routes, String alias, Function<String, String> headers, List<String> keyTags) {
        for (RouteConfig route : routes) {
            if (!route.alias().equals(alias)) {
                continue;
            }
            RouteConfig.Condition when = route.when();
            if (when == null) {
                return Optional.of(route);
            }
            if (when.header() != null) {
                String value = headers.apply(when.header().toLowerCase(java.util.Locale.ROOT));
                if (value != null && value.equals(when.equals())) {
                    return Optional.of(route);
                }
            } else if (keyTags.contains(when.keyTag())) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** The 404 for a model name no route or provider offers (OpenAI's {@code model_not_found}). */
    public static ProblemException modelNotFound(String name) {
        return new ProblemException(
                404,
                "model-not-found",
                "Model not found",
                "the model '" + name + "' does not exist or this key may not use it; see GET /v1/models");
    }

    /**
     * A {@code provider/model} name as a one-target route, when the configuration offers that
     * model on that provider ({@link GatewayConfig#offers}); empty for anything else, so an
     * unknown name is refused before any breaker, meter or request is made for it.
     */
    public static Optional<RouteConfig> direct(GatewayConfig config, String name) {
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) {
            return Optional.empty();
        }
        String provider = name.substring(0, slash);
        String model = name.substring(slash + 1);
        if (!config.offers(provider, model)) {
            return Optional.empty();
        }
        return Optional.of(
                new RouteConfig(name, "fallback", List.of(new Target(provider, model, 1, 120_000)), null, -1));
    }

    /**
     * The targets in the order to try them. Load balancing draws the positive-weight targets by
     * weight; weight-0 targets are never drawn but stay last, in configured order, as fallbacks.
     */
    public static List<Target> order(RouteConfig route) {
        if (!route.strategy().equals("loadbalance")) {
            return route.targets();
        }
        List<Target> remaining = new ArrayList<>(
                route.targets().stream().filter(t -> t.weight() > 0).toList());
        List<Target> ordered = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int total = remaining.stream().mapToInt(Target::weight).sum();
            int pick = ThreadLocalRandom.current().nextInt(total);
            for (int i = 0; i < remaining.size(); i++) {
                pick -= remaining.get(i).weight();
                if (pick < 0) {
                    ordered.add(remaining.remove(i));
                    break;
                }
            }
        }
        route.targets().stream().filter(t -> t.weight() <= 0).forEach(ordered::add);
        return ordered;
    }

    /** Every alias a caller may use, then every {@code provider/model} the configuration offers, for /v1/models. */
    public static List<String> aliases(GatewayConfig config) {
        Set<String> names = new LinkedHashSet<>();
        config.routes().forEach(r -> names.add(r.alias()));
        Set<String> direct = new TreeSet<>();
        config.providerModels().forEach((provider, models) -> models.forEach(m -> direct.add(provider + "/" + m)));
        config.routes().forEach(r -> r.targets().forEach(t -> direct.add(t.key())));
        direct.stream()
                .filter(d -> config.providers().containsKey(d.substring(0, d.indexOf('/'))))
                .forEach(names::add);
        return List.copyOf(names);
    }
}
