package io.orchestra.memory.index;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Reads {@code vector_changes}: one row per changed item with the counter value of its latest
 * change, written by the triggers of migration V23 in commit order. A follower keeps the highest
 * seq it applied and asks for what came after.
 */
public final class ChangeLog {
    /** A changed item and the sequence number of its latest change. */
    public record Change(String itemId, long seq) {}

    private ChangeLog() {}

    /** The counter now: everything at or below it has committed (or will never appear). */
    public static long current(Handle h) {
        return h.createQuery("SELECT value FROM vector_sequence WHERE id = 1")
                .mapTo(Long.class)
                .one();
    }

    /** Up to {@code limit} changes of {@code collection} after {@code seq}, in order. */
    public static List<Change> after(Handle h, String collection, long seq, int limit) {
        return h.createQuery(
                        "SELECT item_id, seq FROM vector_changes WHERE collection = :c AND seq > :seq ORDER BY seq LIMIT :limit")
                .bind("c", collection)
                .bind("seq", seq)
                .bind("limit", limit)
                .map((rs, ctx) -> new Change(rs.getString("item_id"), rs.getLong("seq")))
                .list();
    }

    /**
     * Drops change rows of items that no longer exist once they are older than {@code before}
     * (epoch millis): followers that polled since then have applied the delete, and one that has
     * not polled for that long rebuilds instead (see InProcessIndex).
     */
    public static int prune(Handle h, VectorCollection collection, long before) {
        return h.createUpdate("DELETE FROM vector_changes WHERE collection = :c AND changed_at < :before AND NOT EXISTS"
                        + " (SELECT 1 FROM " + collection.table() + " t WHERE t." + collection.idColumn()
                        + " = vector_changes.item_id)")
                .bind("c", collection.name())
                .bind("before", before)
                .execute();
    }
}
