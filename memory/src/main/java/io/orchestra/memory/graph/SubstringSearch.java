package io.orchestra.memory.graph;

import io.orchestra.core.storage.DatabaseKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The reference server's search rule (an entity matches when its name, type or one of its
 * observations contains the query, case-insensitively) answered from an index instead of a scan:
 * SQLite's FTS5 trigram tables, or PostgreSQL's pg_trgm GIN indexes (both set up by migration
 * V25), over texts folded by {@link #fold}; the index proposes candidates and the folded text
 * decides. A trigram index needs three characters: shorter queries scan the folded columns.
 */
public final class SubstringSearch {
    // Candidates from the trigram index, then the exact test on the folded text.
    private static final String SQLITE_INDEXED = """
            SELECT e.id FROM memory_entities e
            WHERE e.seq IN (SELECT rowid FROM memory_entities_fts WHERE memory_entities_fts MATCH :trigrams)
              AND (instr(e.name_lower, :q) > 0 OR instr(e.type_lower, :q) > 0)
            UNION
            SELECT o.entity_id FROM memory_observations o
            WHERE o.seq IN (SELECT rowid FROM memory_observations_fts WHERE memory_observations_fts MATCH :trigrams)
              AND instr(o.content_lower, :q) > 0 AND {valid o.}""";
    private static final String SQLITE_SCAN = """
            SELECT id FROM memory_entities WHERE owner = :owner AND (instr(name_lower, :q) > 0 OR instr(type_lower, :q) > 0)
            UNION
            SELECT entity_id FROM memory_observations WHERE owner = :owner AND instr(content_lower, :q) > 0 AND {valid}""";
    private static final String POSTGRES = """
            SELECT id FROM memory_entities WHERE owner = :owner AND (name_lower LIKE :needle OR type_lower LIKE :needle)
            UNION
            SELECT entity_id FROM memory_observations WHERE owner = :owner AND content_lower LIKE :needle AND {valid}""";
    // Exact name, name prefix, name contains, type contains, observation only; then by name.
    // CROSS JOIN keeps SQLite on the few hits: left to plain JOIN, its planner (3.54) walked
    // every entity of the owner and probed the hits (4 ms at 10k, linear in N).
    private static final String RANKED = """
            WITH hits (id) AS (%s)
            SELECT e.id, e.name, e.entity_type,
                   CASE WHEN e.name_lower = :q THEN 0
                        WHEN substr(e.name_lower, 1, length(:q)) = :q THEN 1
                        WHEN %2$s(e.name_lower, :q) > 0 THEN 2
                        WHEN %2$s(e.type_lower, :q) > 0 THEN 3
                        ELSE 4 END AS rank
            FROM hits CROSS JOIN memory_entities e
            WHERE e.id = hits.id AND e.owner = :owner AND %4$s
            ORDER BY %3$s LIMIT :limit OFFSET :offset""";

    private static final int MAX_TRIGRAMS = 6;

    private final DatabaseKind kind;

    public SubstringSearch(DatabaseKind kind) {
        this.kind = kind;
    }

    /**
     * Case folding for search, the one rule for stored texts and queries alike: full Unicode
     * lower case, locale-independent, as JavaScript's {@code toLowerCase} in the reference server.
     */
    public static String fold(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    /** One page of matches as {id, name, entityType}, best first. */
    List<String[]> rankedMatches(Handle h, String owner, String query, int limit, int offset, AsOf asOf) {
        return matches(h, owner, query, "rank, e.name", limit, offset, asOf);
    }

    /** Every match as {id, name, entityType}, in creation order (the reference's order). */
    List<String[]> matches(Handle h, String owner, String query, AsOf asOf) {
        return matches(h, owner, query, "e.seq", Long.MAX_VALUE, 0, asOf);
    }

    /** Observations match while valid at {@code asOf}; entities once made by then. */
    private List<String[]> matches(
            Handle h, String owner, String query, String order, long limit, int offset, AsOf asOf) {
        String q = fold(query);
        Query statement;
        if (kind == DatabaseKind.POSTGRES) {
            statement = h.createQuery(RANKED.formatted(valid(POSTGRES, asOf), "strpos", order, asOf.entity("e.")))
                    .bind("needle", "%" + like(q) + "%");
        } else if (q.codePointCount(0, q.length()) >= 3) {
            statement = h.createQuery(RANKED.formatted(valid(SQLITE_INDEXED, asOf), "instr", order, asOf.entity("e.")))
                    .bind("trigrams", trigrams(q));
        } else {
            statement = h.createQuery(RANKED.formatted(valid(SQLITE_SCAN, asOf), "instr", order, asOf.entity("e.")));
        }
        return asOf.bind(statement)
                .bind("owner", owner)
                .bind("q", q)
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("name"), rs.getString("entity_type")})
                .list();
    }

    /**
     * An FTS5 query for texts holding a few of q's trigrams, spread over it: every text that
     * contains q holds them all. A handful narrows as well as all of them, and each common
     * trigram costs a walk through a long list (a quoted phrase of all trigrams costs more still).
     */
    static String trigrams(String q) {
        int[] points = q.codePoints().toArray();
        int count = points.length - 2;
        Set<String> picked = new LinkedHashSet<>();
        for (int k = 0; k < Math.min(count, MAX_TRIGRAMS); k++) {
            int at = count <= MAX_TRIGRAMS ? k : (int) Math.round(k * (count - 1) / (double) (MAX_TRIGRAMS - 1));
            picked.add(new String(points, at, 3));
        }
        return picked.stream().map(t -> "\"" + t.replace("\"", "\"\"") + "\"").collect(Collectors.joining(" AND "));
    }

    private static String valid(String hits, AsOf asOf) {
        return hits.replace("{valid o.}", asOf.fact("o.")).replace("{valid}", asOf.fact(""));
    }

    /** PostgreSQL's LIKE escapes with a backslash by default. */
    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
