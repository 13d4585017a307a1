package io.orchestra.gateway;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.json.Json;
import io.orchestra.core.storage.Database;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.GatewayConfigParser;
import io.orchestra.gateway.config.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The live gateway configuration: the {@code gateway:} section of orchestra.yaml (re-read when the
 * file changes) with routes saved through /api/routes on top (shared by replicas via the database).
 * A broken edit is logged and the last good configuration stays in force.
 */
public final class GatewayConfigSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayConfigSource.class);
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final Optional<Path> file;
    private final Database database;
    private final GatewayConfigParser parser;
    private final Clock clock;
    private volatile GatewayConfig current;
    private volatile GatewayConfig fromFile;
    private volatile long fileStamp;
    private volatile List<String> lastProblems = List.of();
    private Thread watcher;

    public GatewayConfigSource(Optional<Path> file, Database database, GatewayConfigParser parser, Clock clock) {
        this.file = file;
        this.database = database;
        this.parser = parser;
        this.clock = clock;
        List<String> problems = new ArrayList<>();
        this.fromFile = readFile(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        this.current = merge(fromFile);
    }

    public GatewayConfig current() {
        return current;
    }

    public List<String> lastProblems() {
        return lastProblems;
    }

    private GatewayConfig readFile(List<String> problems) {
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return GatewayConfig.empty();
        }
        try {
            fileStamp = Files.getLastModifiedTime(file.get()).toMillis();
            JsonNode root = YAML.readTree(Files.readString(file.get()));
            return parser.parse(root == null ? null : root.path("gateway"), problems);
        } catch (IOException | RuntimeException e) {
            problems.add("gateway: cannot read " + file.get() + ": " + e.getMessage());
            return GatewayConfig.empty();
        }
    }

    /** File routes, with stored routes replacing those of the same alias. */
    private GatewayConfig merge(GatewayConfig base) {
        List<RouteConfig> stored = storedRoutes(base);
        if (stored.isEmpty()) {
            return base;
        }
        Set<String> replaced = new LinkedHashSet<>();
        stored.forEach(r -> replaced.add(r.alias()));
        List<RouteConfig> routes = new ArrayList<>(stored);
        base.routes().stream().filter(r -> !replaced.contains(r.alias())).forEach(routes::add);
        return new GatewayConfig(
                base.providers(),
                List.copyOf(routes),
                base.retries(),
                base.backoffMillis(),
                base.maxBackoffMillis(),
                base.circuitFailures(),
                base.circuitWindowMillis(),
                base.circuitCooldownMillis(),
                base.firstByteTimeoutMillis(),
                base.streamIdleTimeoutMillis(),
                base.cacheEnabled(),
                base.cacheTtlSeconds(),
                base.cacheMaxEntries(),
                base.semanticThreshold(),
                base.defaultMaxTokens(),
                base.providerModels());
    }

    private List<RouteConfig> storedRoutes(GatewayConfig base) {
        List<RouteConfig> routes = new ArrayList<>();
        for (String definition : database.jdbi()
                .withHandle(h -> h.createQuery("SELECT definition FROM gateway_routes ORDER BY alias")
                        .mapTo(String.class)
                        .list())) {
            List<String> problems = new ArrayList<>();
            RouteConfig route = parser.route(Json.tree(definition), "stored route", base.providers(), problems);
            if (route != null) {
                routes.add(route);
            } else {
                LOG.warn("ignoring a stored route that no longer validates: {}", problems);
            }
        }
        return routes;
    }

    /** Validates and saves a route; returns the problems (empty when saved). */
    public List<String> save(JsonNode definition) {
        List<String> problems = new ArrayList<>();
        RouteConfig route = parser.route(definition, "route", current.providers(), problems);
        if (route == null) {
            return problems;
        }
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM gateway_routes WHERE alias = :alias")
                    .bind("alias", route.alias())
                    .execute();
            h.createUpdate(
                            "INSERT INTO gateway_routes (alias, definition, updated_at) VALUES (:alias, :definition, :now)")
                    .bind("alias", route.alias())
                    .bind("definition", Json.write(definition))
                    .bind("now", clock.millis())
                    .execute();
        });
        reload();
        return List.of();
    }

    /** The aliases whose routes were saved at run time (they replace the file's routes of the same alias). */
    public Set<String> storedAliases() {
        return new LinkedHashSet<>(database.jdbi()
                .withHandle(h -> h.createQuery("SELECT alias FROM gateway_routes ORDER BY alias")
                        .mapTo(String.class)
                        .list()));
    }

    /** Removes a stored route; returns whether there was one. */
    public boolean delete(String alias) {
        int rows = database.jdbi()
                .withHandle(h -> h.createUpdate("DELETE FROM gateway_routes WHERE alias = :alias")
                        .bind("alias", alias)
                        .execute());
        reload();
        return rows > 0;
    }

    /** Re-reads the file (if it changed) and the stored routes. */
    public synchronized void reload() {
        if (file.isPresent() && Files.isRegularFile(file.get())) {
            try {
                long stamp = Files.getLastModifiedTime(file.get()).toMillis();
                if (stamp != fileStamp) {
                    List<String> problems = new ArrayList<>();
                    GatewayConfig next = readFile(problems);
                    if (problems.isEmpty()) {
                        fromFile = next;
                        LOG.info("gateway configuration reloaded from {}", file.get());
                    } else {
                        LOG.warn(
                                "gateway configuration in {} is invalid, keeping the previous one: {}",
                                file.get(),
                                problems);
                    }
                    lastProblems = problems;
                }
            } catch (IOException e) {
                LOG.warn("cannot check {}: {}", file.get(), e.getMessage());
            }
        }
        current = merge(fromFile);
    }

    /** Polls for changes (file and other replicas' stored routes) every {@code periodMillis}. */
    public void watch(long periodMillis) {
        watcher = Thread.ofVirtual().name("gateway-config").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(periodMillis);
                    reload();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("gateway configuration reload failed: {}", e.toString());
                }
            }
        });
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
