package io.orchestra.memory.graph;

import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
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
    private final GraphHistory history;

    public KnowledgeGraph(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.search = new SubstringSearch(database.kind());
        this.history = new GraphHistory(database);
    }

    /** The same graph's facts with their validity. */
    public GraphHistory history() {
        return history;
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
        return createRelations(owner, relations, Set.of());
    }

    /**
     * As {@link #createRelations(String, List)}; each relation in {@code superseding} also ends the
     * current relations from the same entity with the same type to another one (a fact with one
     * value at a time: "works_at"), found without a language model.
     */
    public List<Relation> createRelations(String owner, List<Relation> relations, Set<Relation> superseding) {
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
            for (Relation r : unique) {
                if (superseding.contains(r)) {
                    h.createUpdate("""
                                    UPDATE memory_relations SET valid_to = :now, superseded_by = (
                                        SELECT n.id FROM memory_relations n WHERE n.owner = :owner AND n.from_name = :from
                                          AND n.to_name = :to AND n.relation_type = :type AND n.valid_to IS NULL)
                                    WHERE owner = :owner AND from_name = :from AND relation_type = :type AND to_name <> :to
                                      AND valid_to IS NULL""")
                            .bind("now", now)
                            .bind("owner", owner)
                            .bind("from", r.from())
                            .bind("to", r.to())
                            .bind("type", r.relationType())
                            .execute();
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
                ObservationBatch batch = batches.get(b);
                List<String> ended = supersede(h, ids.get(batch.entityName()), batch, now);
                added.add(
                        ended.isEmpty()
                                ? new ObservationBatch(batch.entityName(), fresh)
                                : new ObservationBatch(batch.entityName(), fresh, ended, false));
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

    /**
     * Ends the observations a batch supersedes: those it names, and with {@code supersedeSameKey}
     * those giving another value for a key one of its contents sets. Returns their contents.
     */
    private static List<String> supersede(Handle h, String entityId, ObservationBatch batch, long now) {
        List<String> contents = batch.contents() == null ? List.of() : batch.contents();
        if (contents.isEmpty() || (batch.supersedes().isEmpty() && !batch.supersedeSameKey())) {
            return List.of();
        }
        Map<String, String> current = new LinkedHashMap<>();
        h.createQuery(
                        "SELECT id, content FROM memory_observations WHERE entity_id = :e AND valid_to IS NULL ORDER BY seq")
                .bind("e", entityId)
                .map((rs, ctx) -> Map.entry(rs.getString("content"), rs.getString("id")))
                .forEach(e -> current.put(e.getKey(), e.getValue()));
        Set<String> keep = new HashSet<>(contents);
        Map<String, String> endedBy = new LinkedHashMap<>();
        for (String old : batch.supersedes()) {
            if (current.containsKey(old) && !keep.contains(old)) {
                endedBy.put(old, current.get(contents.get(0)));
            }
        }
        if (batch.supersedeSameKey()) {
            for (String content : contents) {
                String key = Facts.key(content);
                if (key == null) {
                    continue;
                }
                for (String old : current.keySet()) {
                    if (!keep.contains(old) && key.equals(Facts.key(old))) {
                        endedBy.putIfAbsent(old, current.get(content));
                    }
                }
            }
        }
        for (Map.Entry<String, String> end : endedBy.entrySet()) {
            endObservation(h, entityId, end.getKey(), now, end.getValue());
        }
        return List.copyOf(endedBy.keySet());
    }

    /**
     * Ends a current observation (it stays, with its validity). Its hash becomes its own id: the
     * unique (entity, hash) key then covers current observations only, so the same text may be
     * observed again later.
     */
    private static int endObservation(Handle h, String entityId, String content, long now, String supersededBy) {
        return h.createUpdate("""
                        UPDATE memory_observations SET valid_to = :now, superseded_by = :by, content_hash = id
                        WHERE entity_id = :e AND content_hash = :hash AND valid_to IS NULL""")
                .bind("now", now)
                .bind("by", supersededBy)
                .bind("e", entityId)
                .bind("hash", hash(content))
                .execute();
    }

    /**
     * Supersedes one observation with another in one step: the old one ends, the new one is added.
     * Returns the result as {@link #addObservations} does (supersedes: what ended).
     */
    public ObservationBatch supersede(String owner, String entityName, String old, String replacement) {
        boolean present = database.jdbi()
                .withHandle(h -> entityId(h, owner, entityName)
                        .map(id -> h.createQuery(
                                                "SELECT COUNT(*) FROM memory_observations WHERE entity_id = :e AND content_hash = :hash AND valid_to IS NULL")
                                        .bind("e", id)
                                        .bind("hash", hash(old))
                                        .mapTo(Integer.class)
                                        .one()
                                > 0)
                        .orElseThrow(() -> new GraphException("Entity with name " + entityName + " not found")));
        if (!present) {
            throw new GraphException("Entity " + entityName + " has no current observation '" + old + "'");
        }
        return addObservations(
                        owner, List.of(new ObservationBatch(entityName, List.of(replacement), List.of(old), false)))
                .get(0);
    }

    /**
     * Deletes entities and their observations (erased: a purge) and ends every relation that
     * touches them (kept with its validity, for the other end's history). Unknown names are ignored.
     */
    public void deleteEntities(String owner, List<String> names) {
        transaction(h -> {
            long now = clock.millis();
            for (String name : names) {
                h.createUpdate("""
                                UPDATE memory_relations SET valid_to = :now
                                WHERE owner = :owner AND (from_name = :name OR to_name = :name) AND valid_to IS NULL""")
                        .bind("now", now)
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

    /** Erases the owner's whole graph, history included (the owner's delete-all, for privacy). */
    public void purge(String owner) {
        transaction(h -> {
            for (String table : List.of("memory_relations", "memory_observations", "memory_entities")) {
                h.createUpdate("DELETE FROM " + table + " WHERE owner = :owner")
                        .bind("owner", owner)
                        .execute();
            }
            return null;
        });
    }

    /** Ends the named observations' validity (they stay in the entity's history). */
    public void deleteObservations(String owner, List<ObservationBatch> deletions) {
        transaction(h -> {
            long now = clock.millis();
            for (ObservationBatch batch : deletions) {
                Optional<String> id = entityId(h, owner, batch.entityName());
                if (id.isEmpty()) {
                    continue;
                }
                for (String content : batch.contents()) {
                    endObservation(h, id.get(), content, now, null);
                }
            }
            return null;
        });
    }

    /** Ends the relations' validity (they stay in both ends' history). */
    public void deleteRelations(String owner, List<Relation> relations) {
        transaction(h -> {
            long now = clock.millis();
            for (Relation r : relations) {
                h.createUpdate("""
                                UPDATE memory_relations SET valid_to = :now
                                WHERE owner = :owner AND from_name = :from AND to_name = :to AND relation_type = :type
                                  AND valid_to IS NULL""")
                        .bind("now", now)
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
        return readGraph(owner, AsOf.NOW);
    }

    /** The whole graph as it was at {@code asOf}. */
    public Graph readGraph(String owner, AsOf asOf) {
        return readPage(owner, Integer.MAX_VALUE - 1, 0, asOf).graph();
    }

    /** A page of the graph: entities in creation order, and the relations among the page's entities. */
    public Graph readGraph(String owner, int limit, int offset) {
        return readPage(owner, limit, offset, AsOf.NOW).graph();
    }

    /** As {@link #readGraph(String, int, int)} at {@code asOf}, saying where the next page starts. */
    public Page readPage(String owner, int limit, int offset, AsOf asOf) {
        return database.jdbi().withHandle(h -> {
            List<String[]> rows = asOf.bind(
                            h.createQuery("SELECT id, name, entity_type FROM memory_entities WHERE owner = :owner AND "
                                    + asOf.entity("") + " ORDER BY seq LIMIT :limit OFFSET :offset"))
                    .bind("owner", owner)
                    .bind("limit", limit + 1L)
                    .bind("offset", offset)
                    .map((rs, ctx) -> row(rs))
                    .list();
            boolean more = rows.size() > limit;
            if (more) {
                rows = rows.subList(0, limit);
            }
            List<Entity> entities = withObservations(h, rows, asOf);
            List<Relation> relations =
                    relationsOf(h, kind(), owner, names(entities), offset == 0 && !more, false, asOf);
            return new Page(new Graph(entities, relations), more ? offset + limit : null);
        });
    }

    /**
     * Every entity whose name, type or observations contain {@code query} (case-insensitive), in
     * creation order, with the relations that touch one: the reference's search_nodes answer.
     */
    public Graph searchNodes(String owner, String query) {
        return searchNodes(owner, query, AsOf.NOW);
    }

    /** As {@link #searchNodes(String, String)}, among the facts that held at {@code asOf}. */
    public Graph searchNodes(String owner, String query, AsOf asOf) {
        return database.jdbi().withHandle(h -> {
            List<Entity> entities = withObservations(h, search.matches(h, owner, query, asOf), asOf);
            return new Graph(entities, relationsOf(h, kind(), owner, names(entities), false, true, asOf));
        });
    }

    /**
     * The same matches ranked (exact name, name prefix, name contains, type, observation), one
     * page of them; relations that touch a match come along.
     */
    public Graph searchNodes(String owner, String query, int limit, int offset) {
        return searchPage(owner, query, limit, offset, AsOf.NOW).graph();
    }

    /** As {@link #searchNodes(String, String, int, int)} at {@code asOf}, saying where the next page starts. */
    public Page searchPage(String owner, String query, int limit, int offset, AsOf asOf) {
        return database.jdbi().withHandle(h -> {
            List<String[]> rows = search.rankedMatches(h, owner, query, limit + 1, offset, asOf);
            boolean more = rows.size() > limit;
            List<Entity> entities = withObservations(h, more ? rows.subList(0, limit) : rows, asOf);
            return new Page(
                    new Graph(entities, relationsOf(h, kind(), owner, names(entities), false, true, asOf)),
                    more ? offset + limit : null);
        });
    }

    private static Set<String> names(List<Entity> entities) {
        Set<String> names = new HashSet<>();
        entities.forEach(e -> names.add(e.name()));
        return names;
    }

    private static String[] row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new String[] {rs.getString("id"), rs.getString("name"), rs.getString("entity_type")};
    }

    /** The named entities and the relations that touch them, as the reference (unknown names are skipped). */
    public Graph openNodes(String owner, List<String> names) {
        return openNodes(owner, names, AsOf.NOW);
    }

    /** As {@link #openNodes(String, List)}, as they were at {@code asOf}. */
    public Graph openNodes(String owner, List<String> names, AsOf asOf) {
        return database.jdbi().withHandle(h -> {
            if (names.isEmpty()) {
                return new Graph(List.of(), List.of());
            }
            List<String[]> rows = new ArrayList<>();
            List<String> list = List.copyOf(new LinkedHashSet<>(names));
            for (int from = 0; from < list.size(); from += 500) {
                rows.addAll(asOf.bind(h.createQuery(
                                "SELECT id, name, entity_type, seq FROM memory_entities WHERE owner = :owner AND name IN (<names>) AND "
                                        + asOf.entity("")))
                        .bind("owner", owner)
                        .bindList("names", list.subList(from, Math.min(list.size(), from + 500)))
                        .map((rs, ctx) -> new String[] {
                            rs.getString("id"), rs.getString("name"), rs.getString("entity_type"), rs.getString("seq")
                        })
                        .list());
            }
            rows.sort(java.util.Comparator.comparingLong(r -> Long.parseLong(r[3])));
            List<Entity> entities = withObservations(h, rows, asOf);
            return new Graph(entities, relationsOf(h, kind(), owner, names(entities), false, true, asOf));
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

    private static List<Entity> withObservations(Handle h, List<String[]> rows, AsOf asOf) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> observations = new HashMap<>();
        List<String> ids = rows.stream().map(r -> r[0]).toList();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> slice = ids.subList(from, Math.min(ids.size(), from + 500));
            asOf.bind(h.createQuery("SELECT entity_id, content FROM memory_observations WHERE entity_id IN (<ids>) AND "
                            + asOf.fact("") + " ORDER BY seq"))
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
     * Relations valid at {@code asOf} that touch {@code names}: with both ends in it
     * ({@code eitherEnd} false, a page of read_graph), or with at least one (as the reference's
     * search_nodes and open_nodes answer); every relation of the owner when {@code all}.
     */
    private static List<Relation> relationsOf(
            Handle h,
            DatabaseKind kind,
            String owner,
            Collection<String> names,
            boolean all,
            boolean eitherEnd,
            AsOf asOf) {
        if (!all && names.isEmpty()) {
            return List.of();
        }
        // Keyed by seq: slices and the two halves of the UNION merge into one creation order.
        java.util.TreeMap<Long, Relation> out = new java.util.TreeMap<>();
        if (all) {
            asOf.bind(h.createQuery(relationColumns("") + asOf.fact("")))
                    .bind("owner", owner)
                    .map((rs, ctx) -> Map.entry(rs.getLong("seq"), relation(rs)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return List.copyOf(out.values());
        }
        List<String> list = List.copyOf(names);
        String sql = relationsSql(kind, asOf, eitherEnd);
        for (int from = 0; from < list.size(); from += 500) {
            List<String> slice = list.subList(from, Math.min(list.size(), from + 500));
            asOf.bind(h.createQuery(sql))
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

    /**
     * The owner's relations valid at {@code asOf} from one of {@code <names>}, and to one when
     * {@code eitherEnd}. A UNION, not an OR: each half uses its own index (an OR of two IN lists
     * made SQLite scan every relation). SQLite is told the to_name half's index: without
     * statistics its planner (3.54) took the partial unique index of current relations (V36),
     * whose only usable column there is the owner, and walked all of the owner's relations
     * (3.9 ms a query at 10,000 relations, 2-3x the search_nodes and open_nodes time; bench/memory/run.sh).
     */
    static String relationsSql(DatabaseKind kind, AsOf asOf, boolean eitherEnd) {
        String valid = asOf.fact("") + " AND ";
        String to = kind == DatabaseKind.SQLITE ? " INDEXED BY memory_relations_to" : "";
        return relationColumns("") + valid + "from_name IN (<names>)"
                + (eitherEnd ? " UNION " + relationColumns(to) + valid + "to_name IN (<names>)" : "");
    }

    private static String relationColumns(String index) {
        return "SELECT from_name, to_name, relation_type, seq FROM memory_relations" + index
                + " WHERE owner = :owner AND ";
    }

    private DatabaseKind kind() {
        return database.kind();
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
