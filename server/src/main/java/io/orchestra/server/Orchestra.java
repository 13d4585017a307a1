package io.orchestra.server;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.orchestra.agents.chat.MemoryExtractor;
import io.orchestra.agents.chat.PersonaChat;
import io.orchestra.agents.knowledge.Chunker;
import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.knowledge.DocumentService;
import io.orchestra.agents.knowledge.DocumentStore;
import io.orchestra.agents.persona.PersonaFiles;
import io.orchestra.agents.persona.PersonaRouter;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.search.SearchProviders;
import io.orchestra.agents.search.WebSearch;
import io.orchestra.agents.session.ContextWindow;
import io.orchestra.agents.session.SessionStore;
import io.orchestra.agents.teams.TeamRunner;
import io.orchestra.agents.tools.McpServers;
import io.orchestra.agents.tools.Toolbox;
import io.orchestra.core.auth.Role;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.core.jobs.JobWorkers;
import io.orchestra.core.storage.Database;
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
import io.orchestra.gateway.usage.LimitCounters;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.gateway.usage.LocalLimitCounters;
import io.orchestra.gateway.usage.PriceTable;
import io.orchestra.gateway.usage.RedisLimitCounters;
import io.orchestra.gateway.usage.UsageRecorder;
import io.orchestra.memory.MemoryModule;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.memories.MemoryStore;
import io.orchestra.server.agents.ChatRoutes;
import io.orchestra.server.agents.DocumentRoutes;
import io.orchestra.server.agents.PersonaRoutes;
import io.orchestra.server.agents.RunRoutes;
import io.orchestra.server.agents.SearchRoutes;
import io.orchestra.server.agents.SessionRoutes;
import io.orchestra.server.agents.TeamRoutes;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.CreatedKey;
import io.orchestra.server.auth.KeyRoutes;
import io.orchestra.server.gateway.GatewayRoutes;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.gateway.RouteAdminRoutes;
import io.orchestra.server.gateway.UsageRoutes;
import io.orchestra.server.health.HealthRoutes;
import io.orchestra.server.health.HealthService;
import io.orchestra.server.http.HttpServer;
import io.orchestra.server.http.RouteGroup;
import io.orchestra.server.memory.McpEndpoint;
import io.orchestra.server.memory.MemoryRoutes;
import io.orchestra.server.metrics.Metrics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The composition root: builds the whole object graph with constructors, in dependency order, and
 * owns its lifecycle. Nothing else creates long-lived services.
 */
public final class Orchestra implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Orchestra.class);

    private final OrchestraConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Metrics metrics;
    private final Database database;
    private final ApiKeyStore keys;
    private final HealthService health;
    private final HttpServer http;
    private final Optional<String> generatedAdminKey;
    private final Optional<JedisPooled> redis;
    private final PersonaStore personas;
    private final PersonaFiles personaFiles;
    private final HttpClient httpClient;
    private final KnowledgeGraph graph;
    private final McpEndpoint mcp;
    private final McpServers mcpServers;
    private final MemoryStore memories;
    private final WebSearch webSearch;
    private final UsageRecorder usageRecorder;
    private final GatewayConfigSource gatewayConfig;
    private final Gateway gateway;
    private final JobQueue jobs;
    private final JobWorkers workers;
    private final SessionStore sessions;
    private final Embedder embedder;
    private final MemoryModule memory;
    private final DocumentSearch documentSearch;
    private final RunStore runs;

    private Orchestra(OrchestraConfig config) {
        this.config = config;
        this.metrics = new Metrics();
        this.database = Database.open(config.database(), "orchestra-db");
        database.pool().setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        int applied = database.migrateUnlessAt(Schema.LATEST);
        LOG.info(
                "database {} ({}) migrated, {} migrations applied",
                database.kind().wire(),
                database.displayUrl(),
                applied);
        this.keys = new ApiKeyStore(database, clock);
        this.generatedAdminKey = bootstrapAdminKey();

        // Foundation: health, metrics, keys.
        List<RouteGroup> routes = new ArrayList<>();
        List<Consumer<ServletContextHandler>> servlets = new ArrayList<>();
        this.health = new HealthService(config, database, clock, Version.current());
        this.redis = config.redisUrl().map(url -> new JedisPooled(URI.create(url)));
        redis.ifPresent(client -> health.addComponent("redis", () -> redisComponent(client)));
        redis.ifPresent(client -> io.micrometer.core.instrument.Gauge.builder(
                        "orchestra.redis.up",
                        client,
                        c -> redisComponent(c).status().equals("up") ? 1 : 0)
                .description("1 when Redis answers a ping")
                .register(metrics.registry()));
        io.micrometer.core.instrument.Gauge.builder("orchestra.disk.free", config.dataDir(), dir -> {
                    try {
                        return java.nio.file.Files.getFileStore(java.nio.file.Files.createDirectories(dir))
                                .getUsableSpace();
                    } catch (java.io.IOException e) {
                        return Double.NaN;
                    }
                })
                .baseUnit("bytes")
                .description("Usable space on the data directory's disk")
                .register(metrics.registry());
        routes.add(new HealthRoutes(health));
        routes.add(metrics);
        routes.add(new KeyRoutes(keys));

        // Personas (files and API).
        this.personas = new PersonaStore(database, clock);
        this.personaFiles = new PersonaFiles(
                Path.of(config.setting("orchestra.personas.dir").orElse("personas")), personas);
        List<String> loaded = personaFiles.load();
        personaFiles.watch();
        LOG.info("personas loaded from files: {}", loaded);
        routes.add(new PersonaRoutes(personas, personaFiles));

        // Memory: graph, semantic memories, MCP at /mcp.
        this.memory = new MemoryModule(database, config, clock);
        this.graph = memory.graph();
        this.embedder = memory.embedder();
        this.memories = memory.memories();
        this.mcp = new McpEndpoint(
                graph,
                memory.search(),
                memories,
                keys,
                config.setting("orchestra.mcp.allowed-origins")
                        .map(v -> java.util.Arrays.stream(v.split(","))
                                .map(String::trim)
                                .filter(o -> !o.isEmpty())
                                .toList())
                        .orElse(List.of()));
        servlets.add(mcp.mount());
        routes.add(new MemoryRoutes(graph, memory.search(), memories));
        health.addComponent("vector_search", () -> HealthService.Component.up(memory.describe()));
        health.addWarming(memory::warming);

        // Background jobs and documents.
        this.jobs = new JobQueue(database, clock);
        this.workers = new JobWorkers(jobs, "worker-" + Ids.randomToken(6), 2, 500);
        DocumentStore documentStore = new DocumentStore(database, clock);
        DocumentService documents = new DocumentService(
                documentStore,
                jobs,
                config.dataDir().resolve("documents"),
                config.maxUploadBytes(),
                new Chunker(1200, 200),
                embedder,
                workers::wake);
        workers.register(DocumentService.INGEST_JOB, documents.ingestHandler());
        this.documentSearch = new DocumentSearch(documentStore, embedder);
        routes.add(new DocumentRoutes(documents, documentStore, jobs, documentSearch));
        // Outbound: web search and the gateway.
        this.httpClient = startHttpClient();
        this.webSearch = new WebSearch(SearchProviders.fromSettings(config::setting, httpClient));
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
                PriceTable.load(config.setting("orchestra.gateway.prices-file").map(Path::of)),
                usageRecorder,
                new GatewayMetrics(metrics.registry()),
                clock);
        // Agents: sessions, runs, tools, chat, teams.
        this.sessions = new SessionStore(database, clock);
        this.runs = new RunStore(database, clock);
        this.mcpServers = new McpServers(mcpServers(config), clock);
        MemoryExtractor extractor = null;
        if (Boolean.parseBoolean(
                config.setting("orchestra.chat.extract-memories").orElse("true"))) {
            extractor = new MemoryExtractor(jobs, gateway, memories, workers::wake);
            workers.register(MemoryExtractor.JOB, extractor.handler());
        }
        PersonaChat personaChat = new PersonaChat(
                personas,
                new PersonaRouter(embedder, config.number("orchestra.chat.routing-threshold", 0.25, 0, 1)),
                sessions,
                runs,
                gateway,
                new ContextWindow((int) config.number("orchestra.chat.history-tokens", 6000, 50, 2_000_000), 2),
                new Toolbox(graph, webSearch, documentSearch, mcpServers),
                memories,
                extractor,
                (int) config.number("orchestra.chat.max-steps", 6, 1, 50),
                (long) config.number("orchestra.chat.tool-timeout-ms", 15_000, 10, 600_000));
        routes.add(new GatewayRoutes(gateway, personaChat));
        TeamRunner teams =
                new TeamRunner(personas, runs, gateway, (int) config.number("orchestra.teams.parallelism", 4, 1, 64));
        routes.add(new ChatRoutes(personaChat, teams, runs));
        routes.add(new TeamRoutes(teams, runs));
        routes.add(new RouteAdminRoutes(gateway, keys));
        RequestLog requestLog = new RequestLog(database, usageRecorder);
        routes.add(new UsageRoutes(requestLog));
        routes.add(new SearchRoutes(webSearch));

        routes.add(new SessionRoutes(sessions));
        routes.add(new RunRoutes(runs));

        // Admin web UI (/ui): one UiPage per page, in nav order; built last because its pages use the services above.
        var traffic = new io.orchestra.server.ui.TrafficStats(clock);
        routes.add(new io.orchestra.server.ui.UiRoutes(
                keys,
                new io.orchestra.server.ui.UiSessions(clock),
                traffic,
                new io.orchestra.server.ui.UiRenderer(),
                List.of(
                        new io.orchestra.server.ui.OverviewPage(health, traffic, requestLog, clock),
                        new io.orchestra.server.ui.PlaygroundPage(personas, personaChat, gateway, runs, requestLog),
                        new io.orchestra.server.ui.PersonasPage(personas, gateway),
                        new io.orchestra.server.ui.RoutesPage(gateway, requestLog),
                        new io.orchestra.server.ui.RequestsPage(requestLog, keys, clock),
                        new io.orchestra.server.ui.UsagePage(requestLog, keys, gateway.limits(), clock),
                        new io.orchestra.server.ui.MemoryPage(memories, graph, keys),
                        new io.orchestra.server.ui.DocumentsPage(documents, documentStore, jobs, documentSearch, keys),
                        new io.orchestra.server.ui.RunsPage(runs, keys, clock),
                        new io.orchestra.server.ui.KeysPage(keys))));
        this.http = new HttpServer(config, keys, metrics.registry(), routes, servlets);
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

    /** External MCP servers from the {@code mcp_servers} section of orchestra.yaml ({@code ${VAR}} resolved from the environment). */
    private static List<McpServers.Server> mcpServers(OrchestraConfig config) {
        if (config.configFile().isEmpty()
                || !java.nio.file.Files.isRegularFile(config.configFile().get())) {
            return List.of();
        }
        try {
            tools.jackson.databind.JsonNode root = tools.jackson.dataformat.yaml.YAMLMapper.builder()
                    .build()
                    .readTree(config.configFile().get().toFile());
            List<String> problems = new ArrayList<>();
            List<McpServers.Server> servers = McpServers.parse(
                    root == null ? tools.jackson.databind.node.MissingNode.getInstance() : root.path("mcp_servers"),
                    problems);
            if (!problems.isEmpty()) {
                throw new io.orchestra.core.config.ConfigException(problems);
            }
            io.orchestra.gateway.config.GatewayConfigParser env =
                    new io.orchestra.gateway.config.GatewayConfigParser(System::getenv);
            return servers.stream()
                    .map(s -> new McpServers.Server(
                            s.name(),
                            s.url(),
                            s.headers().entrySet().stream()
                                    .collect(java.util.stream.Collectors.toMap(
                                            Map.Entry::getKey, e -> env.resolve(e.getValue())))))
                    .toList();
        } catch (tools.jackson.core.JacksonException e) {
            throw new io.orchestra.core.config.ConfigException(
                    List.of("mcp_servers: cannot read " + config.configFile().get()));
        }
    }

    /** The one outbound HTTP client (pooled, HTTP/1.1 and HTTP/2) for providers and search. */
    private static HttpClient startHttpClient() {
        HttpClient client = new HttpClient();
        // Platform threads for the client's I/O callbacks: handing each response to a new virtual thread costs latency.
        client.setExecutor(new org.eclipse.jetty.util.thread.QueuedThreadPool(32, 4, 60_000));
        client.setConnectTimeout(5_000);
        client.setFollowRedirects(false);
        // Callers share this client: a provider's cookie must not travel on another caller's request.
        // (The cookie lookup also rebuilt each request's URI, which showed in the gateway profile.)
        client.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(512);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Orchestra/" + Version.current()));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
        // A 401 from a provider is an answer to pass on, not a challenge to answer (handlers are added on start).
        client.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler.NAME);
        return client;
    }

    /** Builds, migrates and starts listening. */
    public static Orchestra start(OrchestraConfig config) {
        Orchestra orchestra = new Orchestra(config);
        try {
            orchestra.http.start();
            orchestra.workers.start();
            orchestra.memory.start();
        } catch (RuntimeException e) {
            orchestra.close();
            throw e;
        }
        return orchestra;
    }

    /** Completes when what loads after the port opens (embedding model, vector indexes) has loaded: /ready is then true. */
    public java.util.concurrent.CompletableFuture<Void> warm() {
        return memory.warm();
    }

    /**
     * With a configured admin key, registers it (hashed). Otherwise, on the very first start of a
     * dev install, generates one to print once.
     */
    private Optional<String> bootstrapAdminKey() {
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
        return runs;
    }

    public ApiKeyStore keys() {
        return keys;
    }

    @Override
    public void close() {
        health.markDraining();
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
        workers.close();
        memory.close();
        mcpServers.close();
        mcp.close();
        gatewayConfig.close();
        usageRecorder.close();
        personaFiles.close();
        try {
            httpClient.stop();
        } catch (Exception e) {
            LOG.warn("HTTP client did not stop cleanly", e);
        }
        redis.ifPresent(JedisPooled::close);
        database.close();
        metrics.close();
        LOG.info("stopped");
    }
}
