package io.orchestra.memory.graph;

import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The knowledge graph with the reference memory server's semantics (duplicates skipped, deleting
 * an entity removes its relations, adding observations to a missing entity fails), but each call
 * is one database transaction, so concurrent writers never lose each other's changes.
 */
public final class KnowledgeGraph {
    private final Database database;
    private final Clock clock;
    private final SubstringSearch search;

    public KnowledgeGraph(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.search = new SubstringSearch(database.kind());
    }

    /** Creates the entities whose names are new; returns those created. */
    public List<Entity> createEntities(String owner, List<Entity> entities) {
        validate(entities);
        return transaction(h -> {
            Map<String, Entity> wanted = new LinkedHashMap<>();
            for (Entity entity : entities) {
                wanted.putIfAbsent(entity.name(), entity);
            }
            wanted.keySet().removeAll(entityIds(h, owner, wanted.keySet()).keySet());
            List<Entity> fresh = List.copyOf(wanted.values());
            List<String> ids = new ArrayList<>();
            long now = clock.millis();
            // ON CONFLICT: a concurrent writer may have created the same name since the check above;
            // its row wins and ours is skipped, as the reference skips duplicates.
            PreparedBatch insert = h.prepareBatch("""
                    INSERT INTO memory_entities (id, owner, name, entity_type, name_lower, type_lower, created_at, updated_at)
                    VALUES (:id, :owner, :name, :type, :nameLower, :typeLower, :now, :now) ON CONFLICT DO NOTHING""");
            for (Entity entity : fresh) {
                String id = Ids.newId("ent");
                ids.add(id);
                insert.bind("id", id)
                        .bind("owner", owner)
                        .bind("name", entity.name())
                        .bind("type", entity.entityType())
                        .bind("nameLower", SubstringSearch.fold(entity.name()))
                        .bind("typeLower", SubstringSearch.fold(entity.entityType()))
                        .bind("now", now)
                        .add();
            }
            int[] inserted = fresh.isEmpty() ? new int[0] : insert.execute();
            List<Entity> created = new ArrayList<>();
            ObservationInserts observations = new ObservationInserts(h, owner, now);
            for (int i = 0; i < fresh.size(); i++) {
                if (inserted[i] == 0) {
                    continue;
                }
                Entity entity = fresh.get(i);
                List<String> contents = entity.observations() == null
                        ? List.of()
                        : List.copyOf(new LinkedHashSet<>(entity.observations()));
                for (String content : contents) {
                    observations.add(ids.get(i), content);
                }
                created.add(new Entity(entity.name(), entity.entityType(), contents));
            }
            observations.execute();
            return created;
        });
    }

    /**
     * Creates relations not already present; returns those created. Like the reference, the ends
     * need not exist yet (a client may name an entity before creating it).
     */
    public List<Relation> createRelations(String owner, List<Relation> relations) {
        for (Relation r : relations) {
            if (blank(r.from()) || blank(r.to()) || blank(r.relationType())) {
                throw new GraphException("every relation needs from, to and relationType");
            }
        }
        return transaction(h -> {
            List<Relation> unique = List.copyOf(new LinkedHashSet<>(relations));
            if (unique.isEmpty()) {
                return List.of();
            }
            long now = clock.millis();
            PreparedBatch insert = h.prepareBatch("""
                    INSERT INTO memory_relations (id, owner, from_name, to_name, relation_type, created_at, valid_from)
                    VALUES (:id, :owner, :from, :to, :type, :now, :now) ON CONFLICT DO NOTHING""");
            for (Relation r : unique) {
                insert.bind("id", Ids.newId("rel"))
                        .bind("owner", owner)
                        .bind("from", r.from())
                        .bind("to", r.to())
                        .bind("type", r.relationType())
                        .bind("now", now)
                        .add();
            }
            int[] inserted = insert.execute();
            List<Relation> created = new ArrayList<>();
            for (int i = 0; i < unique.size(); i++) {
                if (inserted[i] > 0) {
                    created.add(unique.get(i));
                }
            }
            return created;
        });
    }

    /** Adds observations; fails (changing nothing) if any entity is missing. Returns what was new. */
    public List<ObservationBatch> addObservations(String owner, List<ObservationBatch> batches) {
        return transaction(h -> {
            Set<String> names = new LinkedHashSet<>();
            batches.forEach(b -> names.add(b.entityName()));
            Map<String, String> ids = entityIds(h, owner, names);
            for (ObservationBatch batch : batches) {
                if (!ids.containsKey(batch.entityName())) {
                    throw new GraphException("Entity with name " + batch.entityName() + " not found");
                }
            }
            long now = clock.millis();
            ObservationInserts inserts = new ObservationInserts(h, owner, now);
            List<List<Integer>> slots = new ArrayList<>();
            for (ObservationBatch batch : batches) {
                List<Integer> mine = new ArrayList<>();
                for (String content : batch.contents() == null ? List.<String>of() : batch.contents()) {
                    if (!blank(content)) {
                        mine.add(inserts.add(ids.get(batch.entityName()), content));
                    }
                }
                slots.add(mine);
            }
            int[] inserted = inserts.execute();
            List<ObservationBatch> added = new ArrayList<>();
            for (int b = 0; b < batches.size(); b++) {
                List<String> fresh = new ArrayList<>();
                for (int slot : slots.get(b)) {
                    if (inserted[slot] > 0) {
                        fresh.add(inserts.content(slot));
                    }
                }
                added.add(new ObservationBatch(batches.get(b).entityName(), fresh));
            }
            if (!ids.isEmpty()) {
                h.createUpdate("UPDATE memory_entities SET updated_at = :now WHERE id IN (<ids>)")
                        .bind("now", now)
                        .bindList("ids", List.copyOf(new LinkedHashSet<>(ids.values())))
                        .execute();
            }
            return added;
        });
    }

    /** Deletes entities, their observations and every relation that touches them. Unknown names are ignored. */
    public void deleteEntities(String owner, List<String> names) {
        transaction(h -> {
            for (String name : names) {
                h.createUpdate(
                                "DELETE FROM memory_relations WHERE owner = :owner AND (from_name = :name OR to_name = :name)")
                        .bind("owner", owner)
                        .bind("name", name)
                        .execute();
                Optional<String> id = entityId(h, owner, name);
                if (id.isPresent()) {
                    h.createUpdate("DELETE FROM memory_observations WHERE entity_id = :id")
                            .bind("id", id.get())
                            .execute();
                    h.createUpdate("DELETE FROM memory_entities WHERE id = :id")
                            .bind("id", id.get())
                            .execute();
                }
            }
            return null;
        });
    }

    public void deleteObservations(String owner, List<ObservationBatch> deletions) {
        transaction(h -> {
            for (ObservationBatch batch : deletions) {
                Optional<String> id = entityId(h, owner, batch.entityName());
                if (id.isEmpty()) {
                    continue;
                }
                for (String content : batch.contents()) {
                    h.createUpdate("DELETE FROM memory_observations WHERE entity_id = :id AND content_hash = :hash")
                            .bind("id", id.get())
                            .bind("hash", hash(content))
                            .execute();
                }
            }
            return null;
        });
    }

    public void deleteRelations(String owner, List<Relation> relations) {
        transaction(h -> {
            for (Relation r : relations) {
                h.createUpdate("""
                                DELETE FROM memory_relations
                                WHERE owner = :owner AND from_name = :from AND to_name = :to AND relation_type = :type""")
                        .bind("owner", owner)
                        .bind("from", r.from())
                        .bind("to", r.to())
                        .bind("type", r.relationType())
                        .execute();
            }
            return null;
        });
    }

    /** The whole graph, in the order things were made (the reference's file order). */
    public Graph readGraph(String owner) {
        return readPage(owner, Integer.MAX_VALUE - 1, 0).graph();
    }

    /** A page of the graph: entities in creation order, and the relations among the page's entities. */
    public Graph readGraph(String owner, int limit, int offset) {
        return readPage(owner, limit, offset).graph();
    }

    /** As {@link #readGraph(String, int, int)}, saying where the next page starts. */
    public Page readPage(String owner, int limit, int offset) {
        return database.jdbi().withHandle(h -> {
            List<String[]> rows = h.createQuery("""
                            SELECT id, name, entity_type FROM memory_entities WHERE owner = :owner ORDER BY seq LIMIT :limit OFFSET :offset""")
                    .bind("owner", owner)
                    .bind("limit", limit + 1L)
                    .bind("offset", offset)
                    .map((rs, ctx) ->
                            new String[] {rs.getString("id"), rs.getString("name"), rs.getString("entity_type")})
                    .list();
            boolean more = rows.size() > limit;
            if (more) {
                rows = rows.subList(0, limit);
            }
            List<Entity> entities = withObservations(h, rows);
            Set<String> names = new HashSet<>();
            entities.forEach(e -> names.add(e.name()));
            List<Relation> relations = relationsOf(h, owner, names, offset == 0 && !more, false);
            return new Page(new Graph(entities, relations), more ? offset + limit : null);
        });
    }

    /**
     * Every entity whose name, type or observations contain {@code query} (case-insensitive), in
     * creation order, with the relations that touch one: the reference's search_nodes answer.
     */
    public Graph searchNodes(String owner, String query) {
        return database.jdbi().withHandle(h -> {
            List<Entity> entities = withObservations(h, search.matches(h, owner, query));
            return new Graph(entities, relationsOf(h, owner, names(entities), false, true));
        });
    }

    /**
     * The same matches ranked (exact name, name prefix, name contains, type, observation), one
     * page of them; relations that touch a match come along.
     */
    public Graph searchNodes(String owner, String query, int limit, int offset) {
        return searchPage(owner, query, limit, offset).graph();
    }

    /** As {@link #searchNodes(String, String, int, int)}, saying where the next page starts. */
    public Page searchPage(String owner, String query, int limit, int offset) {
        return database.jdbi().withHandle(h -> {
            List<String[]> rows = search.rankedMatches(h, owner, query, limit + 1, offset);
            boolean more = rows.size() > limit;
            List<Entity> entities = withObservations(h, more ? rows.subList(0, limit) : rows);
            return new Page(
                    new Graph(entities, relationsOf(h, owner, names(entities), false, true)),
                    more ? offset + limit : null);
        });
    }

    private static Set<String> names(List<Entity> entities) {
        Set<String> names = new HashSet<>();
        entities.forEach(e -> names.add(e.name()));
        return names;
    }

    /** The named entities and the relations that touch them, as the reference (unknown names are skipped). */
    public Graph openNodes(String owner, List<String> names) {
        return database.jdbi().withHandle(h -> {
            if (names.isEmpty()) {
                return new Graph(List.of(), List.of());
            }
            List<String[]> rows = h.createQuery("""
                            SELECT id, name, entity_type FROM memory_entities WHERE owner = :owner AND name IN (<names>) ORDER BY seq""")
                    .bind("owner", owner)
                    .bindList("names", names)
                    .map((rs, ctx) ->
                            new String[] {rs.getString("id"), rs.getString("name"), rs.getString("entity_type")})
                    .list();
            List<Entity> entities = withObservations(h, rows);
            Set<String> found = new HashSet<>();
            entities.forEach(e -> found.add(e.name()));
            return new Graph(entities, relationsOf(h, owner, found, false, true));
        });
    }

    public long countEntities(String owner) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM memory_entities WHERE owner = :owner")
                        .bind("owner", owner)
                        .mapTo(Long.class)
                        .one());
    }

    /**
     * One transaction, retried when PostgreSQL reports a conflict with a concurrent writer (a
     * unique key both inserted, a serialization failure, a deadlock): the retry sees the other
     * writer's row and skips it, so no write is lost and none is doubled.
     */
    private <T> T transaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return database.jdbi().inTransaction(work);
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                String state = e.getCause() instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
                boolean conflict = "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
                if (!conflict || attempt >= 8) {
                    throw e;
                }
                try {
                    Thread.sleep(attempt * 5L);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static List<Entity> withObservations(Handle h, List<String[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> observations = new HashMap<>();
        List<String> ids = rows.stream().map(r -> r[0]).toList();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + 500));
            h.createQuery("SELECT entity_id, content FROM memory_observations WHERE entity_id IN (<ids>) ORDER BY seq")
                    .bindList("ids", slice)
                    .map((rs, ctx) -> Map.entry(rs.getString("entity_id"), rs.getString("content")))
                    .forEach(e -> observations
                            .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(e.getValue()));
        }
        List<Entity> entities = new ArrayList<>();
        for (String[] row : rows) {
            entities.add(new Entity(row[1], row[2], observations.getOrDefault(row[0], List.of())));
        }
        return entities;
    }

    /**
     * Relations that touch {@code names}: with both ends in it ({@code eitherEnd} false, a page of
     * read_graph), or with at least one (as the reference's search_nodes and open_nodes answer);
     * every relation of the owner when {@code all}.
     */
    private static List<Relation> relationsOf(
            Handle h, String owner, Collection<String> names, boolean all, boolean eitherEnd) {
        if (!all && names.isEmpty()) {
            return List.of();
        }
        // Keyed by seq: slices and the two halves of the UNION merge into one creation order.
        java.util.TreeMap<Long, Relation> out = new java.util.TreeMap<>();
        if (all) {
            h.createQuery(
                            "SELECT from_name, to_name, relation_type, seq FROM memory_relations WHERE owner = :owner ORDER BY seq")
                    .bind("owner", owner)
                    .map((rs, ctx) -> Map.entry(rs.getLong("seq"), relation(rs)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return List.copyOf(out.values());
        }
        List<String> list = List.copyOf(names);
        // A UNION, not an OR: each half uses its own index (an OR of two IN lists made SQLite scan every relation).
        String columns =
                "SELECT from_name, to_name, relation_type, seq FROM memory_relations WHERE owner = :owner AND ";
        String sql =
                columns + "from_name IN (<names>)" + (eitherEnd ? " UNION " + columns + "to_name IN (<names>)" : "");
        for (int from = 0; from < list.size(); from += 500) {
            List<String> slice = list.subList(from, Math.min(list.size(), from + 500));
            h.createQuery(sql)
                    .bind("owner", owner)
                    .bindList("names", slice)
                    .map((rs, ctx) -> Map.entry(rs.getLong("seq"), relation(rs)))
                    .forEach(e -> {
                        if (eitherEnd || names.contains(e.getValue().to())) {
                            out.put(e.getKey(), e.getValue());
                        }
                    });
        }
        return List.copyOf(out.values());
    }

    private static Relation relation(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Relation(rs.getString("from_name"), rs.getString("to_name"), rs.getString("relation_type"));
    }

    private static Optional<String> entityId(Handle h, String owner, String name) {
        return h.createQuery("SELECT id FROM memory_entities WHERE owner = :owner AND name = :name")
                .bind("owner", owner)
                .bind("name", name)
                .mapTo(String.class)
                .findOne();
    }

    /** Names to ids of those entities of the owner that exist, looked up 500 at a time. */
    private static Map<String, String> entityIds(Handle h, String owner, Collection<String> names) {
        Map<String, String> ids = new HashMap<>();
        List<String> list = List.copyOf(names);
        for (int from = 0; from < list.size(); from += 500) {
            h.createQuery("SELECT name, id FROM memory_entities WHERE owner = :owner AND name IN (<names>)")
                    .bind("owner", owner)
                    .bindList("names", list.subList(from, Math.min(list.size(), from + 500)))
                    .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("id")))
                    .forEach(e -> ids.put(e.getKey(), e.getValue()));
        }
        return ids;
    }

    /**
     * Observations inserted in one batch; a content the entity already has is skipped by the unique
     * (entity, content hash) key, so no existence query per observation and no race between writers.
     */
    private static final class ObservationInserts {
        private final PreparedBatch batch;
        private final String owner;
        private final long now;
        private final List<String> contents = new ArrayList<>();

        ObservationInserts(Handle h, String owner, long now) {
            this.batch = h.prepareBatch("""
                    INSERT INTO memory_observations (id, entity_id, owner, content, content_lower, content_hash, created_at, valid_from)
                    VALUES (:id, :entity, :owner, :content, :contentLower, :hash, :now, :now) ON CONFLICT DO NOTHING""");
            this.owner = owner;
            this.now = now;
        }

        /** Queues one observation; returns its slot in the result of {@link #execute}. */
        int add(String entityId, String content) {
            batch.bind("id", Ids.newId("obs"))
                    .bind("entity", entityId)
                    .bind("owner", owner)
                    .bind("content", content)
                    .bind("contentLower", SubstringSearch.fold(content))
                    .bind("hash", hash(content))
                    .bind("now", now)
                    .add();
            contents.add(content);
            return contents.size() - 1;
        }

        String content(int slot) {
            return contents.get(slot);
        }

        /** Rows inserted per slot: 1 if new, 0 if the entity already had it. */
        int[] execute() {
            return contents.isEmpty() ? new int[0] : batch.execute();
        }
    }

    private static void validate(List<Entity> entities) {
        for (Entity entity : entities) {
            if (blank(entity.name()) || blank(entity.entityType())) {
                throw new GraphException("every entity needs a name and an entityType");
            }
            if (entity.name().length() > 500 || entity.entityType().length() > 200) {
                throw new GraphException("entity names are at most 500 characters and types at most 200");
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    static String hash(String content) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
