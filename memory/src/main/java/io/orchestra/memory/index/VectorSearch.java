package io.orchestra.memory.index;

import io.orchestra.core.config.ConfigException;
import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.storage.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the vector engine ({@code orchestra.memory.vector-engine}: auto, pgvector or in-process)
 * and holds one index per collection. auto means pgvector when the PostgreSQL server has the
 * extension, the in-process index otherwise (SQLite, or PostgreSQL without it).
 */
public final class VectorSearch implements AutoCloseable {
    /** The in-process graphs' parameters; bench/memory/recall.sh measures recall and latency with them. */
    public static final Tuning TUNING = Tuning.DEFAULT;
    /** How long change rows of deleted items are kept for followers. */
    public static final Duration RETENTION = Duration.ofDays(1);

    private final String engine;
    private final VectorIndex memories;
    private final VectorIndex entities;
    private final Database database;
    private final int dimensions;
    private final Clock clock;
    /** Collections of other modules (document chunks), opened on the same engine when asked for. */
    private final Map<String, VectorIndex> others = new java.util.concurrent.ConcurrentHashMap<>();

    private VectorSearch(
            String engine, VectorIndex memories, VectorIndex entities, Database database, int dimensions, Clock clock) {
        this.engine = engine;
        this.memories = memories;
        this.entities = entities;
        this.database = database;
        this.dimensions = dimensions;
        this.clock = clock;
    }

    /** Opens the engine {@code wanted} names on this database; pgvector where it cannot run is a configuration error. */
    public static VectorSearch open(
            Database database, MemorySettings.VectorEngine wanted, int dimensions, Clock clock) {
        if (choose(database, wanted).equals("pgvector")) {
            return new VectorSearch(
                    "pgvector",
                    new PgVectorIndex(database, VectorCollection.MEMORIES, dimensions),
                    new PgVectorIndex(database, VectorCollection.ENTITIES, dimensions),
                    database,
                    dimensions,
                    clock);
        }
        return new VectorSearch(
                "in-process",
                inProcess(database, VectorCollection.MEMORIES, clock),
                inProcess(database, VectorCollection.ENTITIES, clock),
                database,
                dimensions,
                clock);
    }

    /** The engine {@code wanted} means on this database, "pgvector" or "in-process", without creating anything (the doctor asks this). */
    public static String choose(Database database, MemorySettings.VectorEngine wanted) {
        boolean pgvector = wanted != MemorySettings.VectorEngine.IN_PROCESS && PgVectorIndex.available(database);
        if (wanted == MemorySettings.VectorEngine.PGVECTOR && !pgvector) {
            throw new ConfigException(List.of(
                    "orchestra.memory.vector-engine: pgvector needs a PostgreSQL server with the vector extension ("
                            + database.kind().wire() + " here); use auto or in-process"));
        }
        return pgvector ? "pgvector" : "in-process";
    }

    private static InProcessIndex inProcess(Database database, VectorCollection collection, Clock clock) {
        return new InProcessIndex(database, collection, clock, TUNING, RETENTION);
    }

    /** "pgvector" or "in-process". */
    public String engine() {
        return engine;
    }

    public VectorIndex memories() {
        return memories;
    }

    public VectorIndex entities() {
        return entities;
    }

    /**
     * The index of another collection (its table has {@code owner} and {@code embedding} columns,
     * and its changes reach {@code vector_changes} by triggers, as V23 sets up for ours), on the
     * same engine as the memories; one per collection, kept current by {@link #maintain}.
     */
    public VectorIndex index(VectorCollection collection) {
        return others.computeIfAbsent(
                collection.name(),
                name -> engine.equals("pgvector")
                        ? new PgVectorIndex(database, collection, dimensions)
                        : inProcess(database, collection, clock));
    }

    private List<VectorIndex> all() {
        List<VectorIndex> all = new java.util.ArrayList<>(List.of(memories, entities));
        all.addAll(others.values());
        return all;
    }

    /** Keeps the in-process indexes warm (so a query rarely has much to apply) and prunes old change rows. */
    public void maintain() {
        for (VectorIndex index : all()) {
            if (index instanceof InProcessIndex local) {
                local.catchUp();
            }
        }
    }

    /** Drops change rows of deleted items past the retention. */
    public void prune() {
        for (VectorIndex index : all()) {
            if (index instanceof InProcessIndex local) {
                local.prune();
            }
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", engine);
        out.put("memories", memories.describe());
        out.put("entities", entities.describe());
        others.forEach((name, index) -> out.put(name, index.describe()));
        return out;
    }

    @Override
    public void close() {
        all().forEach(VectorIndex::close);
    }
}
