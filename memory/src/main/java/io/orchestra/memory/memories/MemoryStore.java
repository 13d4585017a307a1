package io.orchestra.memory.memories;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Ids;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.graph.AsOf;
import io.orchestra.memory.index.Neighbour;
import io.orchestra.memory.index.VectorIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;

/**
 * Semantic memories: remember (merging near-duplicates instead of storing them twice), recall by
 * a hybrid of embedding similarity and shared words, forget, update. Scoped by owner, and by agent
 * when a persona remembers for itself; every query filters on the owner. Candidates come from the
 * vector index (never a scan of every row); the filters and the hybrid score apply to them.
 */
public final class MemoryStore {
    /** Cosine above which a new memory is the same fact as an old one. */
    static final double DUPLICATE = 0.92;
    /** Semantic candidates recall scores at least (and five per result asked for); doubled while filters leave too few. */
    static final int CANDIDATES = 50;

    private final Database database;
    private final Embedder embedder;
    private final VectorIndex index;
    private final Clock clock;

    /** The outcome of remember: the memory as stored, and whether it merged into an existing one. */
    public record Remembered(Memory memory, boolean merged) {}

    public MemoryStore(Database database, Embedder embedder, VectorIndex index, Clock clock) {
        this.database = database;
        this.embedder = embedder;
        this.index = index;
        this.clock = clock;
    }

    public Remembered remember(
            String owner,
            String agent,
            String sessionId,
            String text,
            List<String> tags,
            double importance,
            Long ttlSeconds) {
        validate(text, tags, importance);
        float[] vector = embedder.embed(text);
        long now = clock.millis();
        Long expires = ttlSeconds == null ? null : now + ttlSeconds * 1000;
        return database.jdbi().inTransaction(h -> {
            Optional<Row> duplicate = duplicateOf(h, owner, agent, vector);
            if (duplicate.isPresent()) {
                Row row = duplicate.get();
                Set<String> merged = new LinkedHashSet<>(row.memory().tags());
                merged.addAll(tags);
                String keep = text.length() >= row.memory().text().length()
                        ? text
                        : row.memory().text();
                float[] kept = keep.equals(text) ? vector : row.vector();
                h.createUpdate("""
                                UPDATE memories SET text = :text, tags = :tags, importance = :importance, embedding = :embedding,
                                       updated_at = :now, expires_at = :expires WHERE id = :id""")
                        .bind("text", keep)
                        .bind("tags", Json.write(List.copyOf(merged)))
                        .bind("importance", Math.max(importance, row.memory().importance()))
                        .bind("embedding", Vectors.encode(kept))
                        .bind("now", now)
                        .bind("expires", expires)
                        .bind("id", row.memory().id())
                        .execute();
                index.put(h, row.memory().id(), owner, kept);
                return new Remembered(find(h, owner, row.memory().id()).orElseThrow(), true);
            }
            String id = Ids.newId("mem");
            h.createUpdate("""
                            INSERT INTO memories (id, owner, agent, session_id, text, tags, importance, embedding, created_at, updated_at, expires_at, valid_from)
                            VALUES (:id, :owner, :agent, :session, :text, :tags, :importance, :embedding, :now, :now, :expires, :now)""")
                    .bind("id", id)
                    .bind("owner", owner)
                    .bind("agent", agent)
                    .bind("session", sessionId)
                    .bind("text", text)
                    .bind("tags", Json.write(tags))
                    .bind("importance", importance)
                    .bind("embedding", Vectors.encode(vector))
                    .bind("now", now)
                    .bind("expires", expires)
                    .execute();
            index.put(h, id, owner, vector);
            return new Remembered(find(h, owner, id).orElseThrow(), false);
        });
    }

    /**
     * The most similar live memory in the same scope (the agent's own, or the shared ones) at or
     * above {@link #DUPLICATE}, asking the index for more neighbours while those it returns are
     * all out of scope yet still similar enough.
     */
    private Optional<Row> duplicateOf(Handle h, String owner, String agent, float[] vector) {
        for (int fetch = 10; ; fetch *= 4) {
            List<Neighbour> near = index.nearest(h, owner, vector, fetch);
            List<Neighbour> similar =
                    near.stream().filter(n -> n.score() >= DUPLICATE - 0.01).toList();
            Optional<Row> best = rowsById(
                            h,
                            owner,
                            similar.stream().map(Neighbour::id).toList(),
                            agent == null ? List.of() : List.of(agent),
                            agent == null,
                            AsOf.NOW)
                    .stream()
                    .filter(r -> Embedder.cosine(vector, r.vector()) >= DUPLICATE)
                    .max(Comparator.comparingDouble(r -> Embedder.cosine(vector, r.vector())));
            if (best.isPresent() || near.size() < fetch || similar.size() < near.size()) {
                return best;
            }
        }
    }

    /**
     * The top {@code k} memories for a query among the owner's shared memories and those of the
     * given agents; optionally only those with every tag, and created within a time range.
     */
    public List<Recalled> recall(
            String owner, String query, int k, List<String> agents, List<String> tags, Instant since, Instant until) {
        return recall(owner, query, k, agents, tags, since, until, AsOf.NOW);
    }

    /** As {@link #recall(String, String, int, List, List, Instant, Instant)}, among the memories that held at {@code asOf}. */
    public List<Recalled> recall(
            String owner,
            String query,
            int k,
            List<String> agents,
            List<String> tags,
            Instant since,
            Instant until,
            AsOf asOf) {
        float[] q = embedder.embed(query);
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("\\W+")).stream()
                .filter(w -> w.length() > 2)
                .toList();
        for (int fetch = Math.max(CANDIDATES, 5 * k); ; fetch *= 4) {
            int asked = fetch;
            List<Recalled> scored = new ArrayList<>();
            int[] found = new int[1];
            List<Row> candidates = database.jdbi().withHandle(h -> {
                List<Neighbour> near = index.nearest(h, owner, q, asked);
                found[0] = near.size();
                return rowsById(h, owner, near.stream().map(Neighbour::id).toList(), agents, true, asOf);
            });
            for (Row row : candidates) {
                Memory m = row.memory();
                if (!m.tags().containsAll(tags)
                        || (since != null && m.createdAt().isBefore(since))
                        || (until != null && m.createdAt().isAfter(until))) {
                    continue;
                }
                String lower = m.text().toLowerCase(Locale.ROOT);
                double keyword = words.isEmpty()
                        ? 0
                        : (double) words.stream().filter(lower::contains).count() / words.size();
                double score = 0.8 * Embedder.cosine(q, row.vector()) + 0.2 * keyword + 0.05 * m.importance();
                scored.add(new Recalled(m, Math.round(score * 1000) / 1000.0));
            }
            // Enough survived the filters, or the index has no more of this owner's memories to offer.
            if (scored.size() >= k || found[0] < asked) {
                scored.sort(Comparator.comparingDouble(Recalled::score).reversed());
                return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
            }
        }
    }

    public List<Memory> list(String owner, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT * FROM memories WHERE owner = :owner AND (expires_at IS NULL OR expires_at > :now)
                          AND valid_to IS NULL
                        ORDER BY updated_at DESC, id LIMIT :limit""")
                        .bind("owner", owner)
                        .bind("now", clock.millis())
                        .bind("limit", limit)
                        .map((rs, ctx) -> map(rs))
                        .list());
    }

    /** One live memory of the owner (another owner's id is as unknown as a missing one). */
    public Optional<Memory> find(String owner, String id) {
        return database.jdbi().withHandle(h -> find(h, owner, id));
    }

    /** Ends a memory's validity: recall no longer finds it, except with an earlier {@code as_of}. */
    public void forget(String owner, String id) {
        end(owner, id, null);
    }

    /** Erases a memory (for privacy: nothing of it stays). */
    public void purge(String owner, String id) {
        int rows = database.jdbi()
                .withHandle(h -> h.createUpdate("DELETE FROM memories WHERE id = :id AND owner = :owner")
                        .bind("id", id)
                        .bind("owner", owner)
                        .execute());
        if (rows == 0) {
            throw ProblemException.notFound("no memory with id '" + id + "'");
        }
    }

    /** Erases every memory of the owner, ended ones included (the owner's delete-all). */
    public void purgeAll(String owner) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("DELETE FROM memories WHERE owner = :owner")
                        .bind("owner", owner)
                        .execute());
    }

    /**
     * Remembers {@code text} in place of the memory {@code oldId}, whose validity ends (superseded
     * by the new one). The old memory must hold now.
     */
    public Remembered supersede(
            String owner, String oldId, String text, List<String> tags, double importance, Long ttlSeconds) {
        Memory old = database.jdbi()
                .withHandle(h -> find(h, owner, oldId))
                .orElseThrow(() -> ProblemException.notFound("no memory with id '" + oldId + "'"));
        Remembered fresh = remember(owner, old.agent(), old.sessionId(), text, tags, importance, ttlSeconds);
        if (!fresh.memory().id().equals(oldId)) {
            end(owner, oldId, fresh.memory().id());
        }
        return fresh;
    }

    private void end(String owner, String id, String supersededBy) {
        int rows = database.jdbi()
                .withHandle(h -> h.createUpdate("""
                                UPDATE memories SET valid_to = :now, superseded_by = :by
                                WHERE id = :id AND owner = :owner AND valid_to IS NULL""")
                        .bind("now", clock.millis())
                        .bind("by", supersededBy)
                        .bind("id", id)
                        .bind("owner", owner)
                        .execute());
        if (rows == 0) {
            throw ProblemException.notFound("no memory with id '" + id + "'");
        }
    }

    public Memory update(String owner, String id, String text, List<String> tags, Double importance) {
        Memory current = database.jdbi()
                .withHandle(h -> find(h, owner, id))
                .orElseThrow(() -> ProblemException.notFound("no memory with id '" + id + "'"));
        String newText = text == null ? current.text() : text;
        List<String> newTags = tags == null ? current.tags() : tags;
        double newImportance = importance == null ? current.importance() : importance;
        validate(newText, newTags, newImportance);
        String embedding = text == null ? null : Vectors.encode(embedder.embed(newText));
        return database.jdbi().inTransaction(h -> {
            h.createUpdate("UPDATE memories SET text = :text, tags = :tags, importance = :importance, updated_at = :now"
                            + (embedding == null ? "" : ", embedding = :embedding")
                            + " WHERE id = :id AND owner = :owner")
                    .bind("text", newText)
                    .bind("tags", Json.write(newTags))
                    .bind("importance", newImportance)
                    .bind("now", clock.millis())
                    .bind("embedding", embedding)
                    .bind("id", id)
                    .bind("owner", owner)
                    .execute();
            if (embedding != null) {
                index.put(h, id, owner, Vectors.decode(embedding));
            }
            return find(h, owner, id).orElseThrow();
        });
    }

    private record Row(Memory memory, float[] vector) {}

    /** Live rows of the owner (only those in {@code ids} unless null): for the given agents, plus shared ones when asked (agents null = all). */
    private List<Row> rows(
            Handle h, String owner, List<String> agents, boolean includeShared, List<String> ids, AsOf asOf) {
        if (ids != null && ids.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder(
                "SELECT * FROM memories WHERE owner = :owner AND (expires_at IS NULL OR expires_at > :now) AND "
                        + asOf.fact(""));
        if (ids != null) {
            sql.append(" AND id IN (<ids>)");
        }
        if (agents != null) {
            sql.append(
                    agents.isEmpty()
                            ? (includeShared ? " AND agent IS NULL" : " AND 1 = 0")
                            : " AND (agent IN (<agents>)" + (includeShared ? " OR agent IS NULL)" : ")"));
        }
        var query =
                asOf.bind(h.createQuery(sql.toString())).bind("owner", owner).bind("now", clock.millis());
        if (agents != null && !agents.isEmpty()) {
            query.bindList("agents", agents);
        }
        if (ids != null) {
            query.bindList("ids", ids);
        }
        return query.map((rs, ctx) -> new Row(map(rs), Vectors.decode(rs.getString("embedding"))))
                .list();
    }

    /** The live rows among {@code ids} that are the owner's and in the given agents' scope (as {@link #rows}). */
    private List<Row> rowsById(
            Handle h, String owner, List<String> ids, List<String> agents, boolean includeShared, AsOf asOf) {
        List<Row> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + 500));
            out.addAll(rows(h, owner, agents, includeShared, slice, asOf));
        }
        return out;
    }

    private Optional<Memory> find(org.jdbi.v3.core.Handle h, String owner, String id) {
        return h.createQuery("SELECT * FROM memories WHERE id = :id AND owner = :owner AND valid_to IS NULL")
                .bind("id", id)
                .bind("owner", owner)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    private static Memory map(ResultSet rs) throws SQLException {
        long expires = rs.getLong("expires_at");
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        return new Memory(
                rs.getString("id"),
                rs.getString("agent"),
                rs.getString("session_id"),
                rs.getString("text"),
                Json.mapper().readValue(rs.getString("tags"), new TypeReference<List<String>>() {}),
                rs.getDouble("importance"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                expiresAt);
    }

    private static void validate(String text, List<String> tags, double importance) {
        List<String> problems = problems(text, tags, importance);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
    }

    /** What is wrong with a memory's fields ("field: rule"), empty when it may be stored; for forms. */
    public static List<String> problems(String text, List<String> tags, double importance) {
        List<String> problems = new ArrayList<>();
        if (text == null || text.isBlank() || text.length() > 10_000) {
            problems.add("text: 1 to 10000 characters");
        }
        if (tags.size() > 50 || tags.stream().anyMatch(t -> t == null || t.isBlank() || t.length() > 100)) {
            problems.add("tags: at most 50, each 1 to 100 characters");
        }
        if (!(importance >= 0 && importance <= 1)) {
            problems.add("importance: a number from 0 to 1");
        }
        return problems;
    }
}
