package io.orchestra.server;

import io.orchestra.agents.AgentsModule;
import io.orchestra.agents.run.RunStore;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.core.jobs.JobWorkers;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Closer;
import io.orchestra.core.util.Ids;
import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.GatewayConfigSource;
import io.orchestra.gateway.GatewayMetrics;
import io.orchestra.gateway.cache.LocalResponseCache;
import io.orchestra.gateway.cache.LocalSemanticCache;
import io.orchestra.gateway.cache.RedisResponseCache;
import io.orchestra.gateway.cache.RedisSemanticCache;
import io.orchestra.gateway.cache.ResponseCache;
import io.orchestra.gateway.cache.SemanticCache;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.GatewayConfigParser;
import io.orchestra.gateway.routing.CircuitBreakers;
import io.orchestra.gateway.routing.Upstream;
import io.orchestra.gateway.usage.BodyLog;
import io.orchestra.gateway.usage.LimitCounters;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.gateway.usage.LocalLimitCounters;
import io.orchestra.gateway.usage.PriceTable;
import io.orchestra.gateway.usage.RedisLimitCounters;
import io.orchestra.gateway.usage.UsageRecorder;
import io.orchestra.memory.MemoryModule;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.server.agents.ChatRoutes;
import io.orchestra.server.agents.DocumentRoutes;
import io.orchestra.server.agents.PersonaRoutes;
import io.orchestra.server.agents.RunRoutes;
import io.orchestra.server.agents.SearchRoutes;
import io.orchestra.server.agents.SessionRoutes;
import io.orchestra.server.agents.TeamRoutes;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.KeyRoutes;
import io.orchestra.server.gateway.GatewayRoutes;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.gateway.RouteAdminRoutes;
import io.orchestra.server.gateway.UsageRoutes;
import io.orchestra.server.health.HealthRoutes;
import io.orchestra.server.health.HealthService;
import io.orchestra.server.health.ProviderHealth;
import io.orchestra.server.http.HttpServer;
import io.orchestra.server.memory.McpEndpoint;
import io.orchestra.server.memory.MemoryRoutes;
import io.orchestra.server.metrics.Metrics;
import io.orchestra.server.ui.AdminUi;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The composition root: builds the object graph from the modules' factories and constructors, in
 * dependency order, and owns its lifecycle. Nothing else creates long-lived services. Everything
 * opened is registered with one {@link Closer}, so a start that fails halfway closes what it opened
 * and a stop closes it all in reverse order.
 */
public final class Orchestra implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Orchestra.class);

    private final OrchestraConfig config;
    private final Closer closer;
    private final Clock clock = Clock.systemUTC();
    private final Metrics metrics;
    private final Database database;
    private final Optional<JedisPooled> redis;
    private final ApiKeyStore keys;
    private final HealthService health;
    private final Optional<String> generatedAdminKey;
    private final MemoryModule memory;
    private final Embedder embedder;
    private final JobQueue jobs;
    private final JobWorkers workers;
    private final HttpClient httpClient;
    private final UsageRecorder usageRecorder;
    private final GatewayConfigSource gatewayConfig;
    private final Gateway gateway;
    private final AgentsModule agents;
    private final HttpServer http;

    /** Wiring only: each part comes from its module's factory; {@code closer} receives what is opened. */
    private Orchestra(OrchestraConfig config, Closer closer) {
        this.config = config;
        this.closer = closer;
        // Two parts no other part needs at construction start on threads of their own and are joined where they
        // are used: the outbound client's connectors and TLS, and the MCP server with its tool schemas (with
        // Jackson's first use) are each a fifth of a start's work, and overlap the rest on a second core.
        CompletableFuture<HttpClient> outbound =
                CompletableFuture.supplyAsync(OutboundHttp::start, onOwnThread("outbound-http-start"));
        closer.register(() -> OutboundHttp.stop(outbound.join()));
        Foundation foundation = closer.register(new Foundation(config, clock));
        this.metrics = foundation.metrics();
        this.database = foundation.database();
        this.redis = foundation.redis();
        this.keys = foundation.keys();
        this.health = foundation.health();
        this.generatedAdminKey = foundation.generatedAdminKey();

        // Memory: graph, semantic memories, MCP at /mcp.
        this.memory = closer.register(new MemoryModule(database, config.memory(), config.dataDir(), clock));
        this.embedder = memory.embedder();
        CompletableFuture<McpEndpoint> mcpEndpoint = CompletableFuture.supplyAsync(
                () -> new McpEndpoint(
                        memory.graph(),
                        memory.search(),
                        memory.memories(),
                        config.mcp().allowedOrigins(),
                        config.maxBodyBytes()),
                onOwnThread("mcp-endpoint-start"));
        closer.register(() -> mcpEndpoint.join().close());
        health.addComponent("vector_search", () -> HealthService.Component.up(memory.describe()));
        health.addWarming(memory::warming);

        // Background jobs (started with the server); outbound HTTP.
        this.jobs = new JobQueue(database, clock);
        this.workers = new JobWorkers(jobs, "worker-" + Ids.randomToken(6), 2, 500);
        this.httpClient = outbound.join();

        // Gateway.
        this.usageRecorder = new UsageRecorder(database);
        this.gatewayConfig =
                new GatewayConfigSource(config.configFile(), database, new GatewayConfigParser(System::getenv), clock);
        gatewayConfig.watch(2_000);
        GatewayConfig gatewaySettings = gatewayConfig.current();
        LimitCounters counters = redis.<LimitCounters>map(r -> new RedisLimitCounters(r, clock, "orc:limits:"))
                .orElseGet(() -> new LocalLimitCounters(clock));
        ResponseCache responseCache = redis.<ResponseCache>map(r -> new RedisResponseCache(r, "orc:cache:"))
                .orElseGet(() -> new LocalResponseCache(clock, gatewaySettings.cacheMaxEntries()));
        int perScope = Math.max(100, gatewaySettings.cacheMaxEntries() / 10);
        SemanticCache semanticCache = redis.<SemanticCache>map(r -> new RedisSemanticCache(
                        r, "orc:semantic:", embedder::embed, clock, perScope, gatewaySettings.cacheMaxEntries()))
                .orElseGet(() -> new LocalSemanticCache(embedder::embed, clock, perScope));
        this.gateway = new Gateway(
                gatewayConfig,
                new Upstream(httpClient),
                new CircuitBreakers(
                        clock,
                        gatewaySettings.circuitFailures(),
                        gatewaySettings.circuitWindowMillis(),
                        gatewaySettings.circuitCooldownMillis()),
                new Limits(database, counters, clock),
                responseCache,
                semanticCache,
                PriceTable.load(config.gateway().pricesFile()),
                usageRecorder,
                new GatewayMetrics(metrics.registry()),
                clock,
                new BodyLog(config.gateway().logBodies(), config.gateway().logBodiesMaxBytes()));
        closer.register(gatewayConfig);
        closer.register(usageRecorder);
        health.addComponent("providers", new ProviderHealth(gateway)::component);

        // Agents: personas, sessions, runs, documents, search, tools, chat, teams.
        this.agents = closer.register(new AgentsModule(new AgentsModule.Parts(
                database,
                config.agents(),
                config.configFile(),
                config.dataDir().resolve("documents"),
                config.maxUploadBytes(),
                memory,
                gateway,
                jobs,
                workers,
                httpClient,
                clock)));

        // HTTP: every route group, then the admin UI (built last: its pages use the services above).
        RequestLog requestLog = new RequestLog(database, usageRecorder);
        io.orchestra.server.auth.ModelAccess modelAccess = new io.orchestra.server.auth.ModelAccess(keys);
        this.http = new HttpServer(
                config,
                keys,
                metrics.registry(),
                List.of(
                        new HealthRoutes(health),
                        metrics,
                        new KeyRoutes(keys),
                        new PersonaRoutes(agents.personas(), agents.personaFiles(), agents.personaCheck()),
                        new MemoryRoutes(memory.graph(), memory.search(), memory.memories(), requestLog::purgeBodies),
                        new DocumentRoutes(agents.documents(), agents.documentStore(), jobs, agents.documentSearch()),
                        new GatewayRoutes(gateway, agents.chat(), modelAccess),
                        new ChatRoutes(agents.chat(), agents.teams(), agents.runs(), agents.personas(), modelAccess),
                        new TeamRoutes(agents.teams(), agents.runs()),
                        new RouteAdminRoutes(gateway, keys),
                        new UsageRoutes(requestLog),
                        new SearchRoutes(agents.webSearch()),
                        new SessionRoutes(agents.sessions()),
                        new RunRoutes(agents.runs()),
                        AdminUi.routes(keys, modelAccess, health, requestLog, gateway, memory, agents, jobs, clock)),
                List.of(mcpEndpoint.join().mount()));
        // Closed in reverse: the server drains its requests first, then the workers stop, then the rest.
        closer.register(workers);
        closer.register(http::stop);
    }

    private static Executor onOwnThread(String name) {
        return task -> Thread.ofPlatform().name(name).daemon().start(task);
    }

    /** Builds, migrates and starts listening; a failure anywhere closes whatever was opened. */
    public static Orchestra start(OrchestraConfig config) {
        Closer closer = new Closer();
        try {
            Orchestra orchestra = new Orchestra(config, closer);
            orchestra.http.start();
            orchestra.workers.start();
            orchestra.memory.start();
            return orchestra;
        } catch (RuntimeException | Error e) {
            closer.closeAfterFailure(e);
            throw e;
        }
    }

    /** Completes when what loads after the port opens (embedding model, vector indexes) has loaded: /ready is then true. */
    public java.util.concurrent.CompletableFuture<Void> warm() {
        return memory.warm();
    }

    /** The admin key generated at this start, present only on the first start of a fresh install. */
    public Optional<String> generatedAdminKey() {
        return generatedAdminKey;
    }

    public HealthService health() {
        return health;
    }

    public int port() {
        return http.port();
    }

    public OrchestraConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    /** The shared Redis client when {@code orchestra.redis.url} is set. */
    public Optional<JedisPooled> redis() {
        return redis;
    }

    public Gateway gateway() {
        return gateway;
    }

    public UsageRecorder usageRecorder() {
        return usageRecorder;
    }

    public RunStore runs() {
        return agents.runs();
    }

    public ApiKeyStore keys() {
        return keys;
    }

    @Override
    public void close() {
        health.markDraining();
        closer.close();
        LOG.info("stopped");
    }
}
