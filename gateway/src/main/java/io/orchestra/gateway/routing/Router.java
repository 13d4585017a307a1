package io.orchestra.gateway.routing;

import io.orchestra.gateway.config.RouteConfig;
import io.orchestra.gateway.config.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Every alias a caller may use, for /v1/models. */
    public static List<String> aliases(List<RouteConfig> routes, Map<String, ?> providers) {
        return routes.stream().map(RouteConfig::alias).distinct().toList();
    }
}
