package io.orchestra.server.health;

import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.routing.CircuitBreakers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each configured provider's health, read from the gateway's own circuit breakers (the same state as
 * /api/routes/status): degraded while a breaker of one of its targets is open or half-open, or when
 * its last calls failed (failures since the last success, within the breaker's window). Breakers are
 * per process, so on several replicas each reports what it has seen itself.
 */
public final class ProviderHealth {
    public enum State {
        UP,
        DEGRADED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One provider: its state and, when degraded, why (target names only: no request data of anyone). */
    public record Provider(String name, State state, String reason) {}

    private final Gateway gateway;

    public ProviderHealth(Gateway gateway) {
        this.gateway = gateway;
    }

    /** The configured providers in configuration order. */
    public List<Provider> providers() {
        Map<String, CircuitBreakers.Status> circuits = gateway.breakers().statuses();
        List<Provider> out = new ArrayList<>();
        for (String name : gateway.config().current().providers().keySet()) {
            List<String> open = new ArrayList<>();
            List<String> failing = new ArrayList<>();
            circuits.forEach((target, status) -> {
                if (!provider(target).equals(name)) {
                    return;
                }
                if (status.state() != CircuitBreakers.State.CLOSED) {
                    open.add(target + (status.state() == CircuitBreakers.State.OPEN ? "" : " (trying again)"));
                } else if (status.recentFailures() > 0) {
                    failing.add(target + " (" + status.recentFailures() + ")");
                }
            });
            if (!open.isEmpty()) {
                out.add(new Provider(name, State.DEGRADED, "circuit open: " + String.join(", ", open)));
            } else if (!failing.isEmpty()) {
                out.add(new Provider(name, State.DEGRADED, "last calls failed: " + String.join(", ", failing)));
            } else {
                out.add(new Provider(name, State.UP, null));
            }
        }
        return out;
    }

    /** The "providers" component of /api/health: degraded when any provider is. */
    public HealthService.Component component() {
        List<Map<String, Object>> list = new ArrayList<>();
        boolean degraded = false;
        for (Provider p : providers()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", p.name());
            entry.put("status", p.state().wire());
            if (p.reason() != null) {
                entry.put("reason", p.reason());
            }
            list.add(entry);
            degraded |= p.state() == State.DEGRADED;
        }
        return new HealthService.Component(degraded ? "degraded" : "up", Map.of("providers", list));
    }

    /** A breaker is named by its target, {@code provider/model}; provider names hold no slash. */
    private static String provider(String target) {
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }
}
