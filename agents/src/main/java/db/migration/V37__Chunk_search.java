package db.migration;

import io.orchestra.memory.index.ChangeTriggers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Document chunks searched at scale: their vectors join the vector index the memories use (the
 * change triggers of V23, collection "chunks"), and their text gets a keyword index (SQLite FTS5
 * with the Porter stemmer; PostgreSQL full text, English). Java because the two databases differ.
 */
public class V37__Chunk_search extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean postgres =
                c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        try (Statement s = c.createStatement()) {
            ChangeTriggers.create(s, postgres, "document_chunks", "chunks", "id", "INSERT OR UPDATE OR DELETE");
            // Chunks written before this migration enter the index through the change log too.
            s.execute("UPDATE vector_sequence SET value = value + 1 WHERE id = 1");
            s.execute("""
                    INSERT INTO vector_changes (collection, item_id, owner, seq, changed_at)
                    SELECT 'chunks', id, owner, (SELECT value FROM vector_sequence WHERE id = 1), created_at
                    FROM document_chunks""");
            if (postgres) {
                s.execute(
                        "CREATE INDEX document_chunks_text_search ON document_chunks USING gin (to_tsvector('english', text))");
                return;
            }
            // FTS5 rows need a stable integer key (the implicit rowid may change on VACUUM): seq, as in V25.
            s.execute("ALTER TABLE document_chunks ADD COLUMN seq INTEGER");
            s.execute("UPDATE document_chunks SET seq = rowid");
            s.execute("CREATE UNIQUE INDEX document_chunks_seq ON document_chunks (seq)");
            s.execute("""
                    CREATE VIRTUAL TABLE document_chunks_fts USING fts5(text, content = 'document_chunks',
                        content_rowid = 'seq', tokenize = 'porter unicode61')""");
            s.execute("""
                    CREATE TRIGGER document_chunks_search_insert AFTER INSERT ON document_chunks BEGIN
                        UPDATE document_chunks SET seq = (SELECT IFNULL(MAX(seq), 0) + 1 FROM document_chunks) WHERE rowid = new.rowid;
                        INSERT INTO document_chunks_fts (rowid, text) SELECT seq, text FROM document_chunks WHERE rowid = new.rowid;
                    END""");
            s.execute("""
                    CREATE TRIGGER document_chunks_search_delete AFTER DELETE ON document_chunks BEGIN
                        INSERT INTO document_chunks_fts (document_chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
                    END""");
            s.execute("INSERT INTO document_chunks_fts (document_chunks_fts) VALUES ('rebuild')");
        }
    }
}
