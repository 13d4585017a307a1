package io.orchestra.memory.graph;

import java.time.Instant;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * When a read looks at the graph: now (only facts valid now, which is what a reference client
 * sees) or an instant in the past (the facts that held then, and the entities made by then). A
 * fact row holds from {@code valid_from} (null in rows older than V36: their {@code created_at})
 * until {@code valid_to} (null: still valid).
 */
public record AsOf(Long millis) {
    public static final AsOf NOW = new AsOf(null);

    public static AsOf of(Instant at) {
        return at == null ? NOW : new AsOf(at.toEpochMilli());
    }

    /** SQL: the observation, relation or memory row {@code alias} (e.g. "o.", or "") held at this time. */
    public String fact(String alias) {
        return millis == null
                ? alias + "valid_to IS NULL"
                : "COALESCE(" + alias + "valid_from, " + alias + "created_at) <= :asOf AND (" + alias
                        + "valid_to IS NULL OR " + alias + "valid_to > :asOf)";
    }

    /** SQL: the entity row {@code alias} existed at this time. */
    public String entity(String alias) {
        return millis == null ? "1 = 1" : alias + "created_at <= :asOf";
    }

    public <T extends SqlStatement<T>> T bind(T statement) {
        return millis == null ? statement : statement.bind("asOf", millis.longValue());
    }
}
