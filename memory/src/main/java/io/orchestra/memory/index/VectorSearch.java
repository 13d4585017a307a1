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

    private VectorSearch(String engine, VectorIndex memories, VectorIndex entities) {
        this.engine = engine;
        this.memories = memories;
        this.entities = entities;
    }

    /** Opens the engine {@code wanted} names on this database; pgvector where it cannot run is a configuration error. */
    public static VectorSearch open(
            Database database, MemorySettings.VectorEngine wanted, int dimensions, Clock clock) {
        if (choose(database, wanted).equals("pgvector")) {
            return new VectorSearch(
                    "pgvector",
                    new PgVectorIndex(database, VectorCollection.MEMORIES, dimensions),
                    new PgVectorIndex(database, VectorCollection.ENTITIES, dimensions));
        }
        return new VectorSearch(
                "in-process",
                inProcess(database, VectorCollection.MEMORIES, clock),
                inProcess(database, VectorCollection.ENTITIES, clock));
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

    /** Keeps the in-process indexes warm (so a query rarely has much to apply) and prunes old change rows. */
    public void maintain() {
        for (VectorIndex index : List.of(memories, entities)) {
            if (index instanceof InProcessIndex local) {
                local.catchUp();
            }
        }
    }

    /** Drops change rows of deleted items past the retention. */
    public void prune() {
        for (VectorIndex index : List.of(memories, entities)) {
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
        return out;
    }

    @Override
    public void close() {
        memories.close();
        entities.close();
    }
}
