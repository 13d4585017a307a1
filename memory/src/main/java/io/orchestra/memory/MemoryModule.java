package io.orchestra.memory;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.embeddings.HttpEmbedder;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.graph.EntityEmbeddings;
import io.orchestra.memory.graph.GraphSearch;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.index.VectorSearch;
import io.orchestra.memory.memories.MemoryStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory services wired together, for the server and for {@code orchestra mcp --stdio}: the
 * embedder chosen by configuration, the vector engine, the graph, semantic memories, hybrid graph
 * search, and the background work that keeps entity embeddings and in-process indexes current.
 */
public final class MemoryModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryModule.class);

    private final Embedder embedder;
    private final String embeddings;
    private final VectorSearch vectors;
    private final KnowledgeGraph graph;
    private final MemoryStore memories;
    private final GraphSearch search;
    private final EntityEmbeddings entityEmbeddings;
    private final boolean semanticGraph;
    private ScheduledExecutorService background;
    /** Done when the embedding model is loaded and when the indexes first caught up with the tables: /ready waits. */
    private final CompletableFuture<Void> modelLoaded = new CompletableFuture<>();

    private final CompletableFuture<Void> indexCaughtUp = new CompletableFuture<>();
    /** Load the model after the port opens (default); false leaves it to the first call (tests start many servers). */
    private final boolean warmUpModel;

    public MemoryModule(Database database, OrchestraConfig config, Clock clock) {
        Function<String, Optional<String>> setting = config::setting;
        this.embedder = embedder(setting, config.dataDir());
        this.embeddings = embedder instanceof HttpEmbedder
                ? "http " + setting.apply("orchestra.embeddings.model").orElse("") + " (" + embedder.dimensions()
                        + " dimensions)"
                : "all-MiniLM-L6-v2 (in process, " + embedder.dimensions() + " dimensions)";
        this.vectors = VectorSearch.open(
                database, setting.apply("orchestra.memory.vector-engine").orElse("auto"), embedder.dimensions(), clock);
        this.graph = new KnowledgeGraph(database, clock);
        this.memories = new MemoryStore(database, embedder, vectors.memories(), clock);
        this.semanticGraph = !config.setting("orchestra.memory.graph.semantic")
                .orElse("false")
                .trim()
                .equalsIgnoreCase("false");
        this.search = semanticGraph
                ? new GraphSearch(
                        graph,
                        database,
                        embedder,
                        vectors.entities(),
                        config.number("orchestra.memory.graph.semantic-min-similarity", 0.35, -1, 1))
                : GraphSearch.substringOnly(graph);
        this.entityEmbeddings = new EntityEmbeddings(database, embedder, vectors.entities(), clock, 64);
        String warmUp =
                setting.apply("orchestra.embeddings.warm-up").orElse("true").trim();
        if (!warmUp.equals("true") && !warmUp.equals("false")) {
            throw new ConfigException(List.of("orchestra.embeddings.warm-up: true or false, not '" + warmUp + "'"));
        }
        this.warmUpModel = warmUp.equals("true");
        LOG.info("memory: vector engine {}, embeddings {}", vectors.engine(), embeddings);
    }

    /**
     * The embedder {@code orchestra.embeddings.provider} names: {@code local} (default) or
     * {@code http} (with url, model, dimensions, and optionally api-key, batch-size, timeout-ms).
     * Every problem is reported at once.
     */
    public static Embedder embedder(Function<String, Optional<String>> setting, Path dataDir) {
        String provider = setting.apply("orchestra.embeddings.provider")
                .orElse("local")
                .trim()
                .toLowerCase(Locale.ROOT);
        if (provider.equals("local")) {
            return new LocalEmbedder(dataDir);
        }
        List<String> problems = new ArrayList<>();
        if (!provider.equals("http")) {
            throw new ConfigException(
                    List.of("orchestra.embeddings.provider: '" + provider + "' is not one of local, http"));
        }
        Optional<String> url = setting.apply("orchestra.embeddings.url");
        URI uri = null;
        if (url.isEmpty()) {
            problems.add("orchestra.embeddings.url: required with provider http (e.g. https://api.openai.com/v1)");
        } else {
            try {
                uri = URI.create(url.get().trim());
                if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                    problems.add("orchestra.embeddings.url: an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                problems.add("orchestra.embeddings.url: an http(s) URL");
            }
        }
        Optional<String> model = setting.apply("orchestra.embeddings.model");
        if (model.isEmpty()) {
            problems.add("orchestra.embeddings.model: required with provider http (e.g. text-embedding-3-small)");
        }
        int dimensions = integer(setting, "orchestra.embeddings.dimensions", -1, 1, 16_000, problems);
        if (dimensions < 0 && setting.apply("orchestra.embeddings.dimensions").isEmpty()) {
            problems.add(
                    "orchestra.embeddings.dimensions: required with provider http (the model's vector length, e.g. 1536)");
        }
        int batch = integer(setting, "orchestra.embeddings.batch-size", 64, 1, 2048, problems);
        int timeout = integer(setting, "orchestra.embeddings.timeout-ms", 30_000, 100, 600_000, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new HttpEmbedder(new HttpEmbedder.Settings(
                uri, model.get(), setting.apply("orchestra.embeddings.api-key"), dimensions, batch, timeout));
    }

    private static int integer(
            Function<String, Optional<String>> setting,
            String key,
            int fallback,
            int min,
            int max,
            List<String> problems) {
        Optional<String> value = setting.apply(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get().trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + ": a whole number from " + min + " to " + max);
        return fallback;
    }

    /**
     * Starts the background work: the embedding model loads beside the first index catch-up (the rebuild from the
     * tables), then catch-up and entity embeddings every second, pruning hourly.
     */
    public synchronized void start() {
        if (background != null) {
            return;
        }
        if (warmUpModel) {
            Thread.ofVirtual().name("embeddings-warm-up").start(() -> {
                guarded("embedding model load", embedder::warmUp);
                modelLoaded.complete(null);
            });
        } else {
            modelLoaded.complete(null);
        }
        background = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("memory-index").factory());
        background.scheduleWithFixedDelay(
                () -> {
                    // Index first: at start this is the rebuild from the table, which searches would otherwise wait
                    // for.
                    guarded("index catch-up", vectors::maintain);
                    indexCaughtUp.complete(null);
                    if (semanticGraph) {
                        guarded("entity embeddings", entityEmbeddings::refresh);
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> guarded("change log pruning", vectors::prune), 1, 60, TimeUnit.MINUTES);
    }

    private static void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            // The next run retries; a failing embeddings endpoint must not stop the loop.
            LOG.warn("memory {} failed: {}", what, e.getMessage());
        }
    }

    /** What is still loading after {@link #start()}, for /ready; empty once warm. */
    public List<String> warming() {
        List<String> pending = new ArrayList<>();
        if (!modelLoaded.isDone()) {
            pending.add("embedding model");
        }
        if (!indexCaughtUp.isDone()) {
            pending.add("vector index");
        }
        return pending;
    }

    /** Completes when nothing is {@link #warming()} any more. */
    public CompletableFuture<Void> warm() {
        return CompletableFuture.allOf(modelLoaded, indexCaughtUp);
    }

    /** Brings entity embeddings and the indexes up to date now (tests, import). */
    public void refreshNow() {
        vectors.maintain();
        if (semanticGraph) {
            entityEmbeddings.refresh();
        }
    }

    public Embedder embedder() {
        return embedder;
    }

    public KnowledgeGraph graph() {
        return graph;
    }

    public MemoryStore memories() {
        return memories;
    }

    public GraphSearch search() {
        return search;
    }

    public VectorSearch vectors() {
        return vectors;
    }

    /** For /api/health and the doctor: the engine, the embeddings, the indexes' sizes. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>(vectors.describe());
        out.put("embeddings", embeddings);
        return out;
    }

    @Override
    public synchronized void close() {
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        vectors.close();
        if (embedder instanceof HttpEmbedder http) {
            http.close();
        }
    }
}
