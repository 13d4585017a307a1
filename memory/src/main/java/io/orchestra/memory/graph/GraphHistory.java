package io.orchestra.memory.graph;

import io.orchestra.core.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The graph's facts with their validity: one entity's history (entity_history) and every fact of
 * an owner (the full export). Reads only; {@link KnowledgeGraph} writes.
 */
public final class GraphHistory {
    private final Database database;

    /** An observation and when it held; {@code supersededBy} is the observation that ended it, if one did. */
    public record ObservationFact(String content, Instant validFrom, Instant validTo, String supersededBy) {}

    /** A relation and when it held; {@code supersededBy} is the relation that ended it, if one did. */
    public record RelationFact(
            String from, String to, String relationType, Instant validFrom, Instant validTo, Relation supersededBy) {}

    /** An entity's facts, oldest first. */
    public record EntityHistory(
            String name,
            String entityType,
            Instant createdAt,
            List<ObservationFact> observations,
            List<RelationFact> relations) {}

    public GraphHistory(Database database) {
        this.database = database;
    }

    /** Every observation the entity had and every relation that touched it, with their validity, oldest first. */
    public EntityHistory history(String owner, String name) {
        return database.jdbi().withHandle(h -> {
            var entity = h.createQuery(
                            "SELECT id, entity_type, created_at FROM memory_entities WHERE owner = :owner AND name = :name")
                    .bind("owner", owner)
                    .bind("name", name)
                    .map((rs, ctx) -> new String[] {
                        rs.getString("id"), rs.getString("entity_type"), Long.toString(rs.getLong("created_at"))
                    })
                    .findOne()
                    .orElseThrow(() -> new GraphException("Entity with name " + name + " not found"));
            return new EntityHistory(
                    name,
                    entity[1],
                    Instant.ofEpochMilli(Long.parseLong(entity[2])),
                    observations(h, "o.entity_id = :entity", entity[0]),
                    relations(h, owner, name));
        });
    }

    /** Every entity of the owner with its whole history, in creation order. */
    public List<EntityHistory> everything(String owner) {
        List<String> names = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT name FROM memory_entities WHERE owner = :owner ORDER BY seq")
                        .bind("owner", owner)
                        .mapTo(String.class)
                        .list());
        return names.stream().map(name -> history(owner, name)).toList();
    }

    /** Every relation of the owner with its validity, in creation order (those whose ends are gone too). */
    public List<RelationFact> relations(String owner) {
        return database.jdbi().withHandle(h -> relationRows(h, "r.owner = :owner", owner, null));
    }

    private static List<ObservationFact> observations(Handle h, String where, String entityId) {
        return h.createQuery("""
                        SELECT o.content, COALESCE(o.valid_from, o.created_at) AS valid_from, o.valid_to, n.content AS by_content
                        FROM memory_observations o LEFT JOIN memory_observations n ON n.id = o.superseded_by
                        WHERE %s ORDER BY COALESCE(o.valid_from, o.created_at), o.seq""".formatted(where))
                .bind("entity", entityId)
                .map((rs, ctx) -> new ObservationFact(
                        rs.getString("content"),
                        Instant.ofEpochMilli(rs.getLong("valid_from")),
                        instant(rs, "valid_to"),
                        rs.getString("by_content")))
                .list();
    }

    private static List<RelationFact> relations(Handle h, String owner, String name) {
        return relationRows(h, "r.owner = :owner AND (r.from_name = :name OR r.to_name = :name)", owner, name);
    }

    private static List<RelationFact> relationRows(Handle h, String where, String owner, String name) {
        return h.createQuery("""
                        SELECT r.from_name, r.to_name, r.relation_type, r.valid_from, r.valid_to,
                               n.from_name AS by_from, n.to_name AS by_to, n.relation_type AS by_type
                        FROM memory_relations r LEFT JOIN memory_relations n ON n.id = r.superseded_by
                        WHERE %s ORDER BY r.valid_from, r.seq""".formatted(where))
                .bind("owner", owner)
                .bind("name", name)
                .map((rs, ctx) -> new RelationFact(
                        rs.getString("from_name"),
                        rs.getString("to_name"),
                        rs.getString("relation_type"),
                        Instant.ofEpochMilli(rs.getLong("valid_from")),
                        instant(rs, "valid_to"),
                        rs.getString("by_from") == null
                                ? null
                                : new Relation(
                                        rs.getString("by_from"), rs.getString("by_to"), rs.getString("by_type"))))
                .list();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
