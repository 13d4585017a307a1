package io.orchestra.agents.knowledge;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Ids;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.index.VectorCollection;
import io.orchestra.memory.index.VectorIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of documents and chunks; every query is scoped by owner. */
public final class DocumentStore {
    /** Chunk vectors, in the vector index the memories use. */
    public static final VectorCollection CHUNKS = new VectorCollection("chunks", "document_chunks", "id");

    private final Database database;
    private final Clock clock;
    private final VectorIndex index;

    public DocumentStore(Database database, Clock clock, VectorIndex index) {
        this.database = database;
        this.clock = clock;
        this.index = index;
    }

    public Optional<Document> findBySha(String owner, String sha256) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM documents WHERE owner = :owner AND sha256 = :sha")
                        .bind("owner", owner)
                        .bind("sha", sha256)
                        .map((rs, ctx) -> map(rs))
                        .findOne());
    }

    public Document insert(
            String id,
            String owner,
            String personaId,
            String filename,
            long size,
            String sha256,
            String path,
            String jobId) {
        long now = clock.millis();
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        INSERT INTO documents (id, owner, persona_id, filename, size_bytes, sha256, storage_path, status, job_id, created_at, updated_at)
                        VALUES (:id, :owner, :persona, :filename, :size, :sha, :path, 'queued', :job, :now, :now)""")
                        .bind("id", id)
                        .bind("owner", owner)
                        .bind("persona", personaId)
                        .bind("filename", filename)
                        .bind("size", size)
                        .bind("sha", sha256)
                        .bind("path", path)
                        .bind("job", jobId)
                        .bind("now", now)
                        .execute());
        return find(id, owner).orElseThrow();
    }

    public Optional<Document> find(String id, String owner) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM documents WHERE id = :id AND owner = :owner")
                        .bind("id", id)
                        .bind("owner", owner)
                        .map((rs, ctx) -> map(rs))
                        .findOne());
    }

    public Document get(String id, String owner) {
        return find(id, owner).orElseThrow(() -> ProblemException.notFound("no document with id '" + id + "'"));
    }

    public List<Document> list(String owner, int limit, int offset) {
        return database.jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM documents WHERE owner = :owner ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                        .bind("owner", owner)
                        .bind("limit", limit)
                        .bind("offset", offset)
                        .map((rs, ctx) -> map(rs))
                        .list());
    }

    public String storagePath(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT storage_path FROM documents WHERE id = :id")
                        .bind("id", id)
                        .mapTo(String.class)
                        .one());
    }

    public void setStatus(String id, String status, String error, String mediaType) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        UPDATE documents SET status = :status, error = :error, media_type = COALESCE(:type, media_type),
                               updated_at = :now WHERE id = :id""")
                        .bind("status", status)
                        .bind("error", error)
                        .bind("type", mediaType)
                        .bind("now", clock.millis())
                        .bind("id", id)
                        .execute());
    }

    /** Replaces the document's chunks in one transaction, so a retried ingestion never doubles them. */
    public void replaceChunks(Document document, List<Chunker.Chunk> chunks, List<String> embeddings) {
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM document_chunks WHERE document_id = :id")
                    .bind("id", document.id())
                    .execute();
            var batch = h.prepareBatch("""
                    INSERT INTO document_chunks (id, document_id, owner, persona_id, ordinal, start_offset, text, embedding, created_at)
                    VALUES (:id, :doc, :owner, :persona, :ordinal, :start, :text, :embedding, :now)""");
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                Chunker.Chunk chunk = chunks.get(i);
                String id = Ids.newId("chk");
                ids.add(id);
                batch.bind("id", id)
                        .bind("doc", document.id())
                        .bind("owner", document.owner())
                        .bind("persona", document.personaId())
                        .bind("ordinal", chunk.ordinal())
                        .bind("start", chunk.start())
                        .bind("text", chunk.text())
                        .bind("embedding", embeddings.get(i))
                        .bind("now", now)
                        .add();
            }
            if (!chunks.isEmpty()) {
                batch.execute();
            }
            for (int i = 0; i < ids.size(); i++) {
                if (embeddings.get(i) != null) {
                    index.put(h, ids.get(i), document.owner(), Vectors.decode(embeddings.get(i)));
                }
            }
            h.createUpdate(
                            "UPDATE documents SET chunk_count = :n, status = 'ready', error = NULL, updated_at = :now WHERE id = :id")
                    .bind("n", chunks.size())
                    .bind("now", now)
                    .bind("id", document.id())
                    .execute();
        });
    }

    /** Deletes the document and its chunks; returns its file path so the caller can remove it. */
    public Optional<String> delete(String id, String owner) {
        return database.jdbi().inTransaction(h -> {
            Optional<String> path = h.createQuery(
                            "SELECT storage_path FROM documents WHERE id = :id AND owner = :owner")
                    .bind("id", id)
                    .bind("owner", owner)
                    .mapTo(String.class)
                    .findOne();
            if (path.isPresent()) {
                h.createUpdate("DELETE FROM document_chunks WHERE document_id = :id")
                        .bind("id", id)
                        .execute();
                h.createUpdate("DELETE FROM documents WHERE id = :id")
                        .bind("id", id)
                        .execute();
            }
            return path;
        });
    }

    public List<ChunkText> chunks(String documentId, String owner) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT id, document_id, ordinal, start_offset, text FROM document_chunks
                        WHERE document_id = :doc AND owner = :owner ORDER BY ordinal""")
                        .bind("doc", documentId)
                        .bind("owner", owner)
                        .map((rs, ctx) -> new ChunkText(
                                rs.getString("id"),
                                rs.getString("document_id"),
                                rs.getInt("ordinal"),
                                rs.getInt("start_offset"),
                                rs.getString("text")))
                        .list());
    }

    /** A chunk with its vector, for search. */
    public record Candidate(
            String chunkId, String documentId, String filename, int ordinal, String text, String embedding) {}

    /** The owner's chunks nearest to {@code query} in the vector index, best first (any document status). */
    public List<String> nearest(String owner, float[] query, int n) {
        return database.jdbi()
                .withHandle(h -> index.nearest(h, owner, query, n).stream()
                        .map(io.orchestra.memory.index.Neighbour::id)
                        .toList());
    }

    /**
     * The owner's chunks that hold the query's words, best first (BM25 in SQLite's FTS5, ts_rank_cd
     * in PostgreSQL; either word matches, stemmed), of ready documents in scope, at most {@code n}.
     */
    public List<String> keyword(String owner, List<String> words, String personaId, int n) {
        if (words.isEmpty()) {
            return List.of();
        }
        String scope = " AND d.status = 'ready'"
                + (personaId == null ? "" : " AND (d.persona_id IS NULL OR d.persona_id = :persona)");
        String sql = database.kind() == io.orchestra.core.storage.DatabaseKind.POSTGRES
                ? """
                        SELECT c.id FROM document_chunks c JOIN documents d ON d.id = c.document_id,
                             to_tsquery('english', :q) q
                        WHERE c.owner = :owner AND to_tsvector('english', c.text) @@ q%s
                        ORDER BY ts_rank_cd(to_tsvector('english', c.text), q) DESC, c.id LIMIT :n""".formatted(scope)
                : """
                        SELECT c.id FROM document_chunks_fts f JOIN document_chunks c ON c.seq = f.rowid
                        JOIN documents d ON d.id = c.document_id
                        WHERE document_chunks_fts MATCH :q AND c.owner = :owner%s
                        ORDER BY bm25(document_chunks_fts), c.id LIMIT :n""".formatted(scope);
        String q = database.kind() == io.orchestra.core.storage.DatabaseKind.POSTGRES
                ? String.join(" | ", words)
                : words.stream().map(w -> "\"" + w + "\"").collect(java.util.stream.Collectors.joining(" OR "));
        return database.jdbi()
                .withHandle(h -> h.createQuery(sql)
                        .bind("q", q)
                        .bind("owner", owner)
                        .bind("persona", personaId)
                        .bind("n", n)
                        .mapTo(String.class)
                        .list());
    }

    /** The chunks among {@code ids} that are the owner's, embedded, of ready documents in scope. */
    public List<Candidate> candidates(String owner, java.util.Collection<String> ids, String personaId) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String personaFilter = personaId == null ? "" : " AND (d.persona_id IS NULL OR d.persona_id = :persona)";
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT c.id, c.document_id, d.filename, c.ordinal, c.text, c.embedding FROM document_chunks c
                        JOIN documents d ON d.id = c.document_id
                        WHERE c.owner = :owner AND c.id IN (<ids>) AND d.status = 'ready' AND c.embedding IS NOT NULL""" + personaFilter)
                        .bind("owner", owner)
                        .bindList("ids", List.copyOf(ids))
                        .bind("persona", personaId)
                        .map((rs, ctx) -> new Candidate(
                                rs.getString("id"),
                                rs.getString("document_id"),
                                rs.getString("filename"),
                                rs.getInt("ordinal"),
                                rs.getString("text"),
                                rs.getString("embedding")))
                        .list());
    }

    /** A stored chunk. */
    public record ChunkText(String id, String documentId, int ordinal, int start, String text) {}

    private static Document map(ResultSet rs) throws SQLException {
        return new Document(
                rs.getString("id"),
                rs.getString("owner"),
                rs.getString("persona_id"),
                rs.getString("filename"),
                rs.getString("media_type"),
                rs.getLong("size_bytes"),
                rs.getString("sha256"),
                rs.getString("status"),
                rs.getString("error"),
                rs.getInt("chunk_count"),
                rs.getString("job_id"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
