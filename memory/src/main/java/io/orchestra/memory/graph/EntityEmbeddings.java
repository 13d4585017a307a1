package io.orchestra.memory.graph;

import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.index.ChangeLog;
import io.orchestra.memory.index.VectorIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one embedding per entity (name, type and observations) in {@code memory_entity_vectors},
 * off the write path: graph writes only log a change (migration V23's triggers), and this
 * recomputes the entities whose text changed since their embedding was made. Any replica may run
 * it; a stale or duplicate result never overwrites a newer one ({@code source_seq}).
 */
public final class EntityEmbeddings {
    /** Characters of entity text embedded; the model reads about 256 tokens anyway. */
    static final int MAX_TEXT = 2000;

    private final Database database;
    private final Embedder embedder;
    private final VectorIndex index;
    private final Clock clock;
    private final int batch;
    private long cursor;

    public EntityEmbeddings(Database database, Embedder embedder, VectorIndex index, Clock clock, int batch) {
        this.database = database;
        this.embedder = embedder;
        this.index = index;
        this.clock = clock;
        this.batch = batch;
    }

    /** Brings every entity's embedding up to date with the graph; returns how many entities it looked at. */
    public synchronized int refresh() {
        int total = 0;
        while (true) {
            int done = step();
            total += done;
            if (done < batch) {
                return total;
            }
        }
    }

    private record Stale(String id, long seq) {}

    private record Source(String owner, String name, String type, List<String> observations) {}

    private int step() {
        long top = database.jdbi().withHandle(ChangeLog::current);
        List<Stale> stale = database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT c.item_id, c.seq FROM vector_changes c LEFT JOIN memory_entity_vectors v ON v.entity_id = c.item_id
                        WHERE c.collection = 'graph' AND c.seq > :cursor AND (v.entity_id IS NULL OR v.source_seq < c.seq)
                        ORDER BY c.seq LIMIT :n""")
                        .bind("cursor", cursor)
                        .bind("n", batch)
                        .map((rs, ctx) -> new Stale(rs.getString("item_id"), rs.getLong("seq")))
                        .list());
        if (stale.isEmpty()) {
            cursor = Math.max(cursor, top);
            return 0;
        }
        Map<String, Source> sources = load(stale.stream().map(Stale::id).toList());
        List<Stale> present =
                stale.stream().filter(s -> sources.containsKey(s.id())).toList();
        List<float[]> vectors = present.isEmpty()
                ? List.of()
                : embedder.embed(
                        present.stream().map(s -> text(sources.get(s.id()))).toList());
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            for (int i = 0; i < present.size(); i++) {
                Stale s = present.get(i);
                Source source = sources.get(s.id());
                int stored = h.createUpdate("""
                                INSERT INTO memory_entity_vectors (entity_id, owner, embedding, source_seq, updated_at)
                                VALUES (:id, :owner, :embedding, :seq, :now)
                                ON CONFLICT (entity_id) DO UPDATE SET embedding = excluded.embedding, source_seq = excluded.source_seq,
                                    updated_at = excluded.updated_at
                                WHERE memory_entity_vectors.source_seq < excluded.source_seq""")
                        .bind("id", s.id())
                        .bind("owner", source.owner())
                        .bind("embedding", Vectors.encode(vectors.get(i)))
                        .bind("seq", s.seq())
                        .bind("now", now)
                        .execute();
                if (stored > 0) {
                    index.put(h, s.id(), source.owner(), vectors.get(i));
                }
            }
            for (Stale s : stale) {
                if (!sources.containsKey(s.id())) {
                    // Deleted entity: drop its vector, and its change row (ids are never reused, so nothing later can
                    // need it).
                    h.createUpdate("DELETE FROM memory_entity_vectors WHERE entity_id = :id")
                            .bind("id", s.id())
                            .execute();
                    h.createUpdate(
                                    "DELETE FROM vector_changes WHERE collection = 'graph' AND item_id = :id AND seq = :seq")
                            .bind("id", s.id())
                            .bind("seq", s.seq())
                            .execute();
                }
            }
        });
        cursor = stale.size() < batch
                ? Math.max(stale.getLast().seq(), top)
                : stale.getLast().seq();
        return stale.size();
    }

    private Map<String, Source> load(List<String> ids) {
        return database.jdbi().withHandle(h -> {
            Map<String, String[]> entities = new HashMap<>();
            h.createQuery("SELECT id, owner, name, entity_type FROM memory_entities WHERE id IN (<ids>)")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> new String[] {
                        rs.getString("id"), rs.getString("owner"), rs.getString("name"), rs.getString("entity_type")
                    })
                    .forEach(row -> entities.put(row[0], row));
            Map<String, List<String>> observations = new HashMap<>();
            if (!entities.isEmpty()) {
                h.createQuery(
                                "SELECT entity_id, content FROM memory_observations WHERE entity_id IN (<ids>) AND valid_to IS NULL ORDER BY seq")
                        .bindList("ids", List.copyOf(entities.keySet()))
                        .map((rs, ctx) -> Map.entry(rs.getString("entity_id"), rs.getString("content")))
                        .forEach(e -> observations
                                .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(e.getValue()));
            }
            Map<String, Source> out = new HashMap<>();
            entities.forEach((id, row) ->
                    out.put(id, new Source(row[1], row[2], row[3], observations.getOrDefault(id, List.of()))));
            return out;
        });
    }

    /** What an entity means, as one passage: "Ada Lovelace (person): Wrote the first program. Born 1815." */
    static String text(Source source) {
        String text = source.name() + " (" + source.type() + ")"
                + (source.observations().isEmpty() ? "" : ": " + String.join(". ", source.observations()));
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}
