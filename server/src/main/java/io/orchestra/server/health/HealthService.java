package io.orchestra.server.health;

import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers readiness and builds the health report. Other modules add their own components (Redis,
 * vector engine, providers) as named checks; no check ever returns a secret value.
 */
public final class HealthService {
    /** One dependency's state for /api/health. */
    public record Component(String status, Map<String, Object> details) {
        public static Component up(Map<String, Object> details) {
            return new Component("up", details);
        }

        public static Component down(String error) {
            return new Component("down", Map.of("error", error));
        }
    }

    public record Readiness(boolean ready, String status, List<String> reasons) {}

    private final OrchestraConfig config;
    private final Database database;
    private final Clock clock;
    private final Instant startedAt;
    private final String version;
    private volatile boolean draining;
    private final Map<String, Supplier<Component>> components = new LinkedHashMap<>();
    private final List<Supplier<List<String>>> warming = new java.util.concurrent.CopyOnWriteArrayList<>();

    public HealthService(OrchestraConfig config, Database database, Clock clock, String version) {
        this.config = config;
        this.database = database;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.version = version;
    }

    public HealthService addComponent(String name, Supplier<Component> check) {
        components.put(name, check);
        return this;
    }

    /** Something that loads after the port opens (the embedding model, indexes): /ready waits until it lists nothing. */
    public HealthService addWarming(Supplier<List<String>> pending) {
        warming.add(pending);
        return this;
    }

    /** From now on readiness fails, so load balancers stop sending traffic while requests drain. */
    public void markDraining() {
        draining = true;
    }

    public Readiness readiness() {
        if (draining) {
            return new Readiness(false, "draining", List.of("the server is shutting down"));
        }
        if (!database.migratedByThisProcess()) {
            return new Readiness(false, "starting", List.of("database migrations have not run yet"));
        }
        List<String> loading = warming.stream()
                .flatMap(w -> w.get().stream())
                .map(what -> "still loading: " + what)
                .toList();
        if (!loading.isEmpty()) {
            return new Readiness(false, "warming", loading);
        }
        try {
            database.ping();
            return new Readiness(true, "ready", List.of());
        } catch (Exception e) {
            return new Readiness(
                    false,
                    "unavailable",
                    List.of("database does not answer: " + e.getClass().getSimpleName()));
        }
    }

    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Component> checks = new LinkedHashMap<>();
        checks.put("database", databaseComponent());
        components.forEach((name, check) -> {
            try {
                checks.put(name, check.get());
            } catch (RuntimeException e) {
                checks.put(name, Component.down(e.getClass().getSimpleName()));
            }
        });
        checks.put("disk", diskComponent());
        // A degraded component (a provider whose circuit is open) degrades the whole report, like a down one.
        boolean allUp = checks.values().stream()
                .allMatch(c -> !c.status().equals("down") && !c.status().equals("degraded"));
        report.put("status", allUp ? "up" : "degraded");
        report.put("version", version);
        report.put("profile", config.env().wire());
        report.put(
                "uptime_seconds", Duration.between(startedAt, clock.instant()).toSeconds());
        report.put("started_at", startedAt.toString());
        report.put("java", Runtime.version().toString());
        Map<String, Map<String, Object>> flat = new LinkedHashMap<>();
        checks.forEach((name, component) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", component.status());
            entry.putAll(component.details());
            flat.put(name, entry);
        });
        report.put("components", flat);
        return report;
    }

    private Component databaseComponent() {
        try {
            long nanos = database.ping();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("kind", database.kind().wire());
            details.put("latency_ms", Math.round(nanos / 10_000.0) / 100.0);
            details.put("migrated", database.migratedByThisProcess());
            details.put(
                    "pool_active",
                    database.pool().getHikariPoolMXBean() == null
                            ? 0
                            : database.pool().getHikariPoolMXBean().getActiveConnections());
            return Component.up(details);
        } catch (Exception e) {
            return new Component(
                    "down",
                    Map.of("kind", database.kind().wire(), "error", e.getClass().getSimpleName()));
        }
    }

    private Component diskComponent() {
        try {
            Path dir = config.dataDir().toAbsolutePath();
            Files.createDirectories(dir);
            var store = Files.getFileStore(dir);
            long free = store.getUsableSpace();
            long total = store.getTotalSpace();
            Map<String, Object> details = Map.of("path", dir.toString(), "free_bytes", free, "total_bytes", total);
            return new Component(free < 512L * 1024 * 1024 ? "low" : "up", details);
        } catch (IOException e) {
            return Component.down(
                    "data directory not accessible: " + e.getClass().getSimpleName());
        }
    }
}
