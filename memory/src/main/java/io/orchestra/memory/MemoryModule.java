package io.orchestra.memory;

import io.orchestra.core.config.EmbeddingsSettings;
import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.storage.Database;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.embeddings.HttpEmbedder;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.graph.EntityEmbeddings;
import io.orchestra.memory.graph.GraphSearch;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.index.VectorSearch;
import io.orchestra.memory.memories.MemoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    /** Builds the memory services; whatever was opened is closed again when a later part fails. */
    public MemoryModule(Database database, MemorySettings settings, Path dataDir, Clock clock) {
        this.embedder = embedder(settings.embeddings(), dataDir);
        this.embeddings = embedder instanceof HttpEmbedder
                ? "http " + settings.embeddings().model().orElse("") + " (" + embedder.dimensions() + " dimensions)"
                : "all-MiniLM-L6-v2 (in process, " + embedder.dimensions() + " dimensions)";
        try {
            this.vectors = VectorSearch.open(database, settings.vectorEngine(), embedder.dimensions(), clock);
        } catch (RuntimeException e) {
            closeEmbedder();
            throw e;
        }
        this.graph = new KnowledgeGraph(database, clock);
        this.memories = new MemoryStore(database, embedder, vectors.memories(), clock);
        this.semanticGraph = settings.semanticGraph();
        this.search = semanticGraph
                ? new GraphSearch(graph, database, embedder, vectors.entities(), settings.semanticMinSimilarity())
                : GraphSearch.substringOnly(graph);
        this.entityEmbeddings = new EntityEmbeddings(database, embedder, vectors.entities(), clock, 64);
        this.warmUpModel = settings.embeddings().warmUp();
        LOG.info("memory: vector engine {}, embeddings {}", vectors.engine(), embeddings);
    }

    /** The embedder the settings name: the in-process model, or an OpenAI-compatible endpoint. */
    public static Embedder embedder(EmbeddingsSettings settings, Path dataDir) {
        return switch (settings.provider()) {
            case LOCAL -> new LocalEmbedder(dataDir, Duration.ofSeconds(settings.keepAliveSeconds()));
            case HTTP ->
                new HttpEmbedder(new HttpEmbedder.Settings(
                        settings.url().orElseThrow(),
                        settings.model().orElseThrow(),
                        settings.apiKey(),
                        settings.dimensions(),
                        settings.batchSize(),
                        settings.timeoutMillis()));
        };
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
        closeEmbedder();
    }

    private void closeEmbedder() {
        embedder.close();
    }
}
