package db.migration;

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
                    s.execute("CREATE TRIGGER " + source[0] + "_vector_change BEFORE " + source[3] + " ON " + source[0]
                            + " FOR EACH ROW EXECUTE FUNCTION orchestra_vector_change('" + source[1] + "', '"
                            + source[2] + "')");
                }
                return;
            }
            for (String[] source : SOURCES) {
                for (String op : source[3].split(" OR ")) {
                    String row = op.equals("DELETE") ? "OLD" : "NEW";
                    String name = source[0] + "_vector_change_" + op.split(" ")[0].toLowerCase();
                    s.execute("CREATE TRIGGER " + name + " AFTER " + op + " ON " + source[0] + " BEGIN\n"
                            + "  UPDATE vector_sequence SET value = value + 1 WHERE id = 1;\n"
                            + "  INSERT INTO vector_changes (collection, item_id, owner, seq, changed_at)\n"
                            + "  VALUES ('" + source[1] + "', " + row + "." + source[2] + ", " + row + ".owner,"
                            + " (SELECT value FROM vector_sequence WHERE id = 1),"
                            + " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))\n"
                            + "  ON CONFLICT (collection, item_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;\n"
                            + "END");
                }
            }
        }
    }
}
