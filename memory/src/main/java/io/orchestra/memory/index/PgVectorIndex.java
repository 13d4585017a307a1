package io.orchestra.memory.index;

import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
import io.orchestra.core.util.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pgvector engine: a side table {@code <table>_pgvector} with a {@code vector(d)} column and
 * an HNSW cosine index, written in the same transaction as the row (and removed with it by a
 * cascading foreign key). Created at start rather than by a migration because the migrations also
 * run on SQLite and on PostgreSQL servers without the extension; rows written while another engine
 * was in use are copied in at start.
 */
public final class PgVectorIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(PgVectorIndex.class);

    private final Database database;
    private final VectorCollection collection;
    private final int dimensions;
    private final String side;
    private final boolean iterativeScan;
    private final String version;

    /** Whether this database can run the engine: PostgreSQL with the vector extension installed or installable. */
    public static boolean available(Database database) {
        if (database.kind() != DatabaseKind.POSTGRES) {
            return false;
        }
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'vector'")
                                .mapTo(Integer.class)
                                .one()
                        > 0);
    }

    public PgVectorIndex(Database database, VectorCollection collection, int dimensions) {
        this.database = database;
        this.collection = collection;
        this.dimensions = dimensions;
        this.side = collection.table() + "_pgvector";
        this.version = database.jdbi().inTransaction(h -> {
            h.execute("CREATE EXTENSION IF NOT EXISTS vector");
            return h.createQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
                    .mapTo(String.class)
                    .one();
        });
        this.iterativeScan = atLeast(version, 0, 8);
        database.jdbi().useTransaction(this::createSideTable);
        backfill();
    }

    private void createSideTable(Handle h) {
        Integer existing = h.createQuery("""
                        SELECT a.atttypmod FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                        WHERE c.relname = :table AND a.attname = 'embedding' AND c.relnamespace = current_schema()::regnamespace""")
                .bind("table", side)
                .mapTo(Integer.class)
                .findOne()
                .orElse(null);
        if (existing != null && existing != dimensions) {
            // The embedding model changed: the old vectors cannot answer queries of the new size.
            h.execute("DROP TABLE " + side);
        }
        h.execute("CREATE TABLE IF NOT EXISTS " + side + " (item_id VARCHAR(40) PRIMARY KEY REFERENCES "
                + collection.table() + " (" + collection.idColumn()
                + ") ON DELETE CASCADE, owner VARCHAR(200) NOT NULL, embedding vector(" + dimensions + ") NOT NULL)");
        h.execute("CREATE INDEX IF NOT EXISTS " + side + "_hnsw ON " + side
                + " USING hnsw (embedding vector_cosine_ops)");
        h.execute("CREATE INDEX IF NOT EXISTS " + side + "_owner ON " + side + " (owner)");
    }

    /** Copies in the vectors of rows written while the in-process engine was in use. */
    private void backfill() {
        int copied = 0;
        while (true) {
            int batch = database.jdbi().inTransaction(h -> {
                List<String[]> rows = h.createQuery(
                                "SELECT t." + collection.idColumn() + " AS id, t.owner, t.embedding FROM "
                                        + collection.table() + " t WHERE NOT EXISTS (SELECT 1 FROM " + side
                                        + " s WHERE s.item_id = t." + collection.idColumn()
                                        + ") AND t.embedding IS NOT NULL LIMIT 1000")
                        .map((rs, ctx) ->
                                new String[] {rs.getString("id"), rs.getString("owner"), rs.getString("embedding")})
                        .list();
                int stored = 0;
                for (String[] row : rows) {
                    if (store(h, row[0], row[1], Vectors.decode(row[2]))) {
                        stored++;
                    }
                }
                return rows.isEmpty() ? -1 : stored;
            });
            if (batch <= 0) {
                break;
            }
            copied += batch;
        }
        if (copied > 0) {
            LOG.info("pgvector: copied {} stored vectors of {} into {}", copied, collection.table(), side);
        }
    }

    @Override
    public void put(Handle h, String id, String owner, float[] vector) {
        store(h, id, owner, vector);
    }

    private boolean store(Handle h, String id, String owner, float[] vector) {
        if (vector.length != dimensions) {
            return false;
        }
        h.createUpdate("INSERT INTO " + side + " (item_id, owner, embedding) VALUES (:id, :owner, CAST(:v AS vector))"
                        + " ON CONFLICT (item_id) DO UPDATE SET owner = EXCLUDED.owner, embedding = EXCLUDED.embedding")
                .bind("id", id)
                .bind("owner", owner)
                .bind("v", literal(vector))
                .execute();
        return true;
    }

    @Override
    public List<Neighbour> nearest(Handle handle, String owner, float[] query, int k) {
        if (query.length != dimensions || k <= 0) {
            return List.of();
        }
        // SET LOCAL needs a transaction: joins the caller's, or opens one.
        return handle.inTransaction(h -> {
            if (iterativeScan) {
                // With the owner filter, let the HNSW scan continue until k rows pass it (pgvector 0.8+).
                h.execute("SET LOCAL hnsw.iterative_scan = strict_order");
            }
            h.execute("SET LOCAL hnsw.ef_search = " + Math.min(1000, Math.max(40, k)));
            List<Neighbour> out = new ArrayList<>();
            h.createQuery("SELECT item_id, 1 - (embedding <=> CAST(:q AS vector)) AS score FROM " + side
                            + " WHERE owner = :owner ORDER BY embedding <=> CAST(:q AS vector) LIMIT :k")
                    .bind("q", literal(query))
                    .bind("owner", owner)
                    .bind("k", k)
                    .map((rs, ctx) -> new Neighbour(rs.getString("item_id"), rs.getDouble("score")))
                    .forEach(out::add);
            return out;
        });
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("engine", "pgvector " + version + " (HNSW, cosine)");
        out.put(
                "items",
                database.jdbi()
                        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + side)
                                .mapTo(Long.class)
                                .one()));
        return out;
    }

    static String literal(float[] vector) {
        StringBuilder out = new StringBuilder(vector.length * 10).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(vector[i]);
        }
        return out.append(']').toString();
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        int ma = Integer.parseInt(parts[0]);
        int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return ma > major || (ma == major && mi >= minor);
    }
}
