package io.orchestra.memory.index;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Nearest neighbours by cosine among one collection's vectors (memories, or entities), always
 * within one owner. The vectors themselves live in the collection's table (the source of truth);
 * an engine only indexes them. Two engines: pgvector (HNSW in PostgreSQL) and an in-process jvector
 * index that follows the table's change sequence.
 */
public interface VectorIndex extends AutoCloseable {
    /** Called in the transaction that wrote the row's vector (pgvector stores its copy there; in-process follows the change log). */
    void put(Handle h, String id, String owner, float[] vector);

    /**
     * The {@code k} items of {@code owner} closest to {@code query}, best first, with their cosine
     * similarity. Runs on the caller's handle (inside its transaction, if any) so a caller holding
     * a connection never waits for a second one.
     */
    List<Neighbour> nearest(Handle h, String owner, float[] query, int k);

    /** Engine name and counters for /api/health and the doctor; never secrets. */
    Map<String, Object> describe();

    @Override
    default void close() {}
}
