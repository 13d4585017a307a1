package db.migration;

import io.orchestra.memory.index.ChangeTriggers;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Triggers that record every change to vectors and to the graph text they are computed from in
 * {@code vector_changes} (V22). Java because trigger syntax differs between SQLite and PostgreSQL
 * while the migration set is one for both. KnowledgeGraph and MemoryStore need not know about it.
 *
 * <p>PostgreSQL: BEFORE row triggers, so the counter row is locked before the row's own locks and
 * index entries; the lock is held to commit, which makes seq order the commit order (a follower
 * never skips a change that commits late). SQLite has one writer, so AFTER triggers suffice.
 */
public class V23__vector_change_triggers extends BaseJavaMigration {
    /** table, collection, item column, operations. */
    private static final String[][] SOURCES = {
        {"memories", "memories", "id", "INSERT OR UPDATE OR DELETE"},
        {"memory_entity_vectors", "entities", "entity_id", "INSERT OR UPDATE OR DELETE"},
        {"memory_entities", "graph", "id", "INSERT OR UPDATE OF name, entity_type OR DELETE"},
        {"memory_observations", "graph", "entity_id", "INSERT OR UPDATE OR DELETE"},
    };

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgres = context.getConnection()
                .getMetaData()
                .getDatabaseProductName()
                .toLowerCase()
                .contains("postgres");
        try (Statement s = context.getConnection().createStatement()) {
            if (postgres) {
                s.execute("""
                        CREATE OR REPLACE FUNCTION orchestra_vector_change() RETURNS trigger AS $$
                        DECLARE
                          r record;
                          next_seq bigint;
                        BEGIN
                          IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
                          UPDATE vector_sequence SET value = value + 1 WHERE id = 1 RETURNING value INTO next_seq;
                          INSERT INTO vector_changes (collection, item_id, owner, seq, changed_at)
                          VALUES (TG_ARGV[0], to_jsonb(r) ->> TG_ARGV[1], r.owner, next_seq,
                                  (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                          ON CONFLICT (collection, item_id) DO UPDATE SET seq = EXCLUDED.seq, changed_at = EXCLUDED.changed_at;
                          RETURN r;
                        END $$ LANGUAGE plpgsql""");
                for (String[] source : SOURCES) {
                    ChangeTriggers.create(s, true, source[0], source[1], source[2], source[3]);
                }
                return;
            }
            for (String[] source : SOURCES) {
                ChangeTriggers.create(s, false, source[0], source[1], source[2], source[3]);
            }
        }
    }
}
