package io.orchestra.server;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Gauge;
import io.orchestra.core.auth.Role;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Closer;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.CreatedKey;
import io.orchestra.server.health.HealthService;
import io.orchestra.server.metrics.Metrics;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;

/**
 * What every other part stands on: metrics, the migrated database, API keys (with the admin key
 * bootstrapped), health, and Redis when configured. Closes what it opened if a later step fails.
 */
public final class Foundation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Foundation.class);

    private final Closer opened = new Closer();
    private final Metrics metrics;
    private final Database database;
    private final ApiKeyStore keys;
    private final Optional<String> generatedAdminKey;
    private final HealthService health;
    private final Optional<JedisPooled> redis;

    public Foundation(OrchestraConfig config, Clock clock) {
        try {
            this.metrics = opened.register(new Metrics());
            this.database = opened.register(Database.open(config.database(), "orchestra-db"));
            database.pool().setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
            int applied = database.migrateUnlessApplied(Schema.VERSIONS);
            LOG.info(
                    "database {} ({}) migrated, {} migrations applied",
                    database.kind().wire(),
                    database.displayUrl(),
                    applied);
            this.keys = new ApiKeyStore(database, clock);
            this.generatedAdminKey = bootstrapAdminKey(config, keys);
            this.health = new HealthService(config, database, clock, Version.current());
            this.redis = config.redisUrl().map(url -> opened.register(new JedisPooled(redisPool(), URI.create(url))));
            redis.ifPresent(client -> {
                health.addComponent("redis", () -> redisComponent(client));
                Gauge.builder(
                                "orchestra.redis.up",
                                client,
                                c -> redisComponent(c).status().equals("up") ? 1 : 0)
                        .description("1 when Redis answers a ping")
                        .register(metrics.registry());
            });
            Gauge.builder("orchestra.disk.free", config.dataDir(), dir -> {
                        try {
                            return Files.getFileStore(Files.createDirectories(dir))
                                    .getUsableSpace();
                        } catch (IOException e) {
                            return Double.NaN;
                        }
                    })
                    .baseUnit("bytes")
                    .description("Usable space on the data directory's disk")
                    .register(metrics.registry());
        } catch (RuntimeException | Error e) {
            opened.closeAfterFailure(e);
            throw e;
        }
    }

    /**
     * With a configured admin key, registers it (hashed). Otherwise, on the very first start of a
     * dev install, generates one to print once.
     */
    private static Optional<String> bootstrapAdminKey(OrchestraConfig config, ApiKeyStore keys) {
        if (config.adminKey().isPresent()) {
            keys.ensure(
                    "admin (configured)", Role.ADMIN, "admin", config.adminKey().get());
            return Optional.empty();
        }
        if (keys.hasActiveAdmin()) {
            return Optional.empty();
        }
        CreatedKey created = keys.create("admin (generated)", Role.ADMIN, "admin", List.of());
        return Optional.of(created.secret());
    }

    /**
     * Jedis's default pool (8 connections, waiting forever) is far below the concurrency of virtual-thread
     * handlers: with 50 concurrent limited calls its borrowers spun on both carrier threads until the server
     * could not even stop. Enough connections for a busy replica, and a bounded wait that fails the call instead.
     */
    private static ConnectionPoolConfig redisPool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(256);
        pool.setMaxIdle(32);
        pool.setMaxWait(Duration.ofSeconds(5));
        return pool;
    }

    private static HealthService.Component redisComponent(JedisPooled client) {
        try {
            long start = System.nanoTime();
            client.ping();
            return HealthService.Component.up(
                    Map.of("latency_ms", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0));
        } catch (RuntimeException e) {
            return HealthService.Component.down(e.getClass().getSimpleName());
        }
    }

    public Metrics metrics() {
        return metrics;
    }

    public Database database() {
        return database;
    }

    public ApiKeyStore keys() {
        return keys;
    }

    /** The admin key generated at this start, present only on the first start of a fresh install. */
    public Optional<String> generatedAdminKey() {
        return generatedAdminKey;
    }

    public HealthService health() {
        return health;
    }

    public Optional<JedisPooled> redis() {
        return redis;
    }

    @Override
    public void close() {
        opened.close();
    }
}
