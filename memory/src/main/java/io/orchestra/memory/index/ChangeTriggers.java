package io.orchestra.memory.index;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The triggers that record a table's vector changes in {@code vector_changes}, for migrations of
 * any module (V23 for ours, the agents' for document chunks). PostgreSQL: the BEFORE row trigger
 * on {@code orchestra_vector_change()} (V23 defines it; see there why BEFORE). SQLite: AFTER triggers.
 */
public final class ChangeTriggers {
    private ChangeTriggers() {}

    /** @param operations e.g. "INSERT OR UPDATE OR DELETE" */
    public static void create(
            Statement s, boolean postgres, String table, String collection, String idColumn, String operations)
            throws SQLException {
        if (postgres) {
            s.execute("CREATE TRIGGER " + table + "_vector_change BEFORE " + operations + " ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION orchestra_vector_change('" + collection + "', '" + idColumn
                    + "')");
            return;
        }
        for (String op : operations.split(" OR ")) {
            String row = op.equals("DELETE") ? "OLD" : "NEW";
            String name = table + "_vector_change_" + op.split(" ")[0].toLowerCase();
            s.execute("CREATE TRIGGER " + name + " AFTER " + op + " ON " + table + " BEGIN\n"
                    + "  UPDATE vector_sequence SET value = value + 1 WHERE id = 1;\n"
                    + "  INSERT INTO vector_changes (collection, item_id, owner, seq, changed_at)\n"
                    + "  VALUES ('" + collection + "', " + row + "." + idColumn + ", " + row + ".owner,"
                    + " (SELECT value FROM vector_sequence WHERE id = 1),"
                    + " CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))\n"
                    + "  ON CONFLICT (collection, item_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;\n"
                    + "END");
        }
    }
}
