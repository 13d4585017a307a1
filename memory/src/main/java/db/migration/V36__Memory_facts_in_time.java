package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Facts that change over time, and the reference server's order.
 *
 * <ul>
 *   <li>Observations, relations and memories get {@code valid_from}/{@code valid_to} (epoch ms; a
 *       null {@code valid_to} means valid now) and {@code superseded_by} (the fact that ended
 *       them). Deleting through the reference tools ends a fact instead of erasing it. Existing
 *       observations and memories keep a null {@code valid_from}, read as their {@code created_at}:
 *       an update of every row would fire the vector-change triggers (V23) and re-embed them all.
 *   <li>Relations: the unique key must cover current facts only, so a relation deleted and made
 *       again gets a second row. SQLite cannot drop a table constraint, so its table is rebuilt;
 *       PostgreSQL drops the constraint. Both then have a partial unique index.
 *   <li>Observations keep their (entity, content hash) key: an ended observation's hash is
 *       replaced by its own id (KnowledgeGraph), which frees the key without rebuilding the table
 *       that the SQLite trigram index and its triggers hang on.
 *   <li>Entities (PostgreSQL) and relations get {@code seq}, the insertion order, which is the
 *       reference server's order for every answer (its file order). SQLite entities have it (V25).
 * </ul>
 */
public class V36__Memory_facts_in_time extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean sqlite = c.getMetaData().getDatabaseProductName().toLowerCase().contains("sqlite");
        try (Statement s = c.createStatement()) {
            for (String table : List.of("memory_observations", "memories")) {
                s.execute("ALTER TABLE " + table + " ADD COLUMN valid_from BIGINT");
                s.execute("ALTER TABLE " + table + " ADD COLUMN valid_to BIGINT");
                s.execute("ALTER TABLE " + table + " ADD COLUMN superseded_by VARCHAR(40)");
            }
            s.execute("CREATE INDEX memory_observations_valid ON memory_observations (entity_id, valid_to)");
            if (sqlite) {
                sqliteRelations(s);
            } else {
                postgres(c, s);
            }
        }
    }

    private static void sqliteRelations(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE memory_relations_v36 (
                    id            VARCHAR(40)  PRIMARY KEY,
                    owner         VARCHAR(200) NOT NULL,
                    from_name     VARCHAR(500) NOT NULL,
                    to_name       VARCHAR(500) NOT NULL,
                    relation_type VARCHAR(200) NOT NULL,
                    created_at    BIGINT       NOT NULL,
                    seq           INTEGER,
                    valid_from    BIGINT       NOT NULL,
                    valid_to      BIGINT,
                    superseded_by VARCHAR(40)
                )""");
        s.execute("""
                INSERT INTO memory_relations_v36 (id, owner, from_name, to_name, relation_type, created_at, seq, valid_from)
                SELECT id, owner, from_name, to_name, relation_type, created_at,
                       ROW_NUMBER() OVER (ORDER BY created_at, rowid), created_at
                FROM memory_relations""");
        s.execute("DROP TABLE memory_relations");
        s.execute("ALTER TABLE memory_relations_v36 RENAME TO memory_relations");
        relationIndexes(s);
        s.execute("CREATE UNIQUE INDEX memory_relations_seq ON memory_relations (seq)");
        // Writers are serialized on SQLite: the next number is free.
        s.execute("""
                CREATE TRIGGER memory_relations_seq_insert AFTER INSERT ON memory_relations BEGIN
                    UPDATE memory_relations SET seq = (SELECT IFNULL(MAX(seq), 0) + 1 FROM memory_relations) WHERE rowid = new.rowid;
                END""");
    }

    private static void postgres(Connection c, Statement s) throws SQLException {
        s.execute("ALTER TABLE memory_relations ADD COLUMN valid_from BIGINT");
        s.execute("ALTER TABLE memory_relations ADD COLUMN valid_to BIGINT");
        s.execute("ALTER TABLE memory_relations ADD COLUMN superseded_by VARCHAR(40)");
        s.execute("UPDATE memory_relations SET valid_from = created_at");
        s.execute("ALTER TABLE memory_relations ALTER COLUMN valid_from SET NOT NULL");
        List<String> unique = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("""
                SELECT conname FROM pg_constraint
                WHERE conrelid = 'memory_relations'::regclass AND contype = 'u'""")) {
            while (rs.next()) {
                unique.add(rs.getString(1));
            }
        }
        for (String name : unique) {
            s.execute("ALTER TABLE memory_relations DROP CONSTRAINT \"" + name + "\"");
        }
        s.execute("DROP INDEX IF EXISTS memory_relations_to");
        relationIndexes(s);
        for (String table : List.of("memory_entities", "memory_relations")) {
            // Existing rows numbered in creation order, then an identity continues from there.
            s.execute("ALTER TABLE " + table + " ADD COLUMN seq BIGINT");
            s.execute("UPDATE " + table
                    + " t SET seq = n.seq FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id)"
                    + " AS seq FROM " + table + ") n WHERE t.id = n.id");
            long next;
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM " + table)) {
                rs.next();
                next = rs.getLong(1);
            }
            s.execute("ALTER TABLE " + table + " ALTER COLUMN seq SET NOT NULL");
            s.execute("ALTER TABLE " + table + " ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY (START WITH "
                    + next + ")");
            s.execute("CREATE UNIQUE INDEX " + table + "_seq ON " + table + " (seq)");
        }
    }

    private static void relationIndexes(Statement s) throws SQLException {
        s.execute("""
                CREATE UNIQUE INDEX memory_relations_current ON memory_relations (owner, from_name, to_name, relation_type)
                WHERE valid_to IS NULL""");
        s.execute("CREATE INDEX memory_relations_from ON memory_relations (owner, from_name)");
        s.execute("CREATE INDEX memory_relations_to ON memory_relations (owner, to_name)");
    }
}
