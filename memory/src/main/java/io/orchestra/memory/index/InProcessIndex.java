package io.orchestra.memory.index;

import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Vectors;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process engine: per-owner vectors (exact when small, a jvector HNSW graph when large)
 * built from the collection's table at start and kept current by following {@code vector_changes}
 * (ADR 0009). Every query first applies the changes committed since the last one, so a write made
 * by this or any other replica is visible to the next search.
 */
public final class InProcessIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessIndex.class);
    private static final int BATCH = 2000;

    private final Database database;
    private final VectorCollection collection;
    private final Clock clock;
    private final Tuning tuning;
    private final Duration retention;
    private final Object follower = new Object();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, OwnerVectors> owners = new HashMap<>();
    private long cursor = -1;
    private long caughtUpAt;
    private long rebuilds;

    /**
     * @param tuning when to use a graph, and its degree and beams
     * @param retention how long change rows of deleted items are kept; a follower idle for half of it rebuilds
     */
    public InProcessIndex(
            Database database, VectorCollection collection, Clock clock, Tuning tuning, Duration retention) {
        this.database = database;
        this.collection = collection;
        this.clock = clock;
        this.tuning = tuning;
        this.retention = retention;
    }

    @Override
    public void put(Handle h, String id, String owner, float[] vector) {
        // The row's trigger logged the change; the next catch-up applies it.
    }

    @Override
    public List<Neighbour> nearest(Handle h, String owner, float[] query, int k) {
        catchUp(h);
        lock.readLock().lock();
        try {
            OwnerVectors vectors = owners.get(owner);
            return vectors == null ? List.of() : vectors.nearest(query, k);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies every change committed since the last call (rebuilding from the table on first use). */
    public void catchUp() {
        database.jdbi().useHandle(this::catchUp);
    }

    private void catchUp(Handle h) {
        synchronized (follower) {
            long now = clock.millis();
            if (cursor < 0 || now - caughtUpAt > retention.toMillis() / 2) {
                rebuild(h);
            } else {
                while (true) {
                    List<ChangeLog.Change> changes = ChangeLog.after(h, collection.name(), cursor, BATCH);
                    if (changes.isEmpty()) {
                        break;
                    }
                    apply(h, changes);
                    cursor = changes.getLast().seq();
                    if (changes.size() < BATCH) {
                        break;
                    }
                }
            }
            caughtUpAt = now;
        }
    }

    /** Drops change rows of deleted items older than the retention (any replica may do it). */
    public int prune() {
        return database.jdbi().withHandle(h -> ChangeLog.prune(h, collection, clock.millis() - retention.toMillis()));
    }

    private void rebuild(Handle h) {
        long started = System.nanoTime();
        Map<String, Map<String, float[]>> byOwner = new HashMap<>();
        // Read the counter first: a change committed after it has a higher seq and is applied by the next catch-up.
        long at = ChangeLog.current(h);
        // A row without a vector (a chunk stored before embeddings) is not in the index.
        h.createQuery("SELECT " + collection.idColumn() + " AS id, owner, embedding FROM " + collection.table()
                        + " WHERE embedding IS NOT NULL")
                .setFetchSize(1000)
                .map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("owner"), rs.getString("embedding")})
                .forEach(row -> byOwner.computeIfAbsent(row[1], o -> new LinkedHashMap<>())
                        .put(row[0], Vectors.decode(row[2])));
        Map<String, OwnerVectors> fresh = new HashMap<>();
        byOwner.forEach((owner, items) -> {
            OwnerVectors vectors = new OwnerVectors(tuning);
            vectors.load(items);
            fresh.put(owner, vectors);
        });
        lock.writeLock().lock();
        try {
            owners.values().forEach(OwnerVectors::close);
            owners.clear();
            owners.putAll(fresh);
            cursor = at;
            rebuilds++;
        } finally {
            lock.writeLock().unlock();
        }
        LOG.info(
                "vector index {} built from the table: {} items of {} owners in {} ms",
                collection.name(),
                fresh.values().stream().mapToInt(OwnerVectors::size).sum(),
                fresh.size(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Re-reads each changed item: present means add or replace, absent means delete. */
    private void apply(Handle h, List<ChangeLog.Change> changes) {
        List<String> ids =
                changes.stream().map(ChangeLog.Change::itemId).distinct().toList();
        Map<String, String[]> rows = new LinkedHashMap<>();
        h.createQuery("SELECT " + collection.idColumn() + " AS id, owner, embedding FROM " + collection.table()
                        + " WHERE " + collection.idColumn() + " IN (<ids>) AND embedding IS NOT NULL")
                .bindList("ids", ids)
                .map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("owner"), rs.getString("embedding")})
                .forEach(row -> rows.put(row[0], row));
        lock.writeLock().lock();
        try {
            for (String id : ids) {
                String[] row = rows.get(id);
                // An item's owner never changes, but remove it from every owner that might hold it to be safe.
                if (row == null) {
                    owners.values().forEach(o -> o.remove(id));
                } else {
                    owners.computeIfAbsent(row[1], o -> new OwnerVectors(tuning))
                            .put(id, Vectors.decode(row[2]));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Map<String, Object> describe() {
        lock.readLock().lock();
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("engine", "in-process (jvector HNSW)");
            out.put(
                    "items",
                    owners.values().stream().mapToInt(OwnerVectors::size).sum());
            out.put("owners", owners.size());
            out.put(
                    "graphs",
                    owners.values().stream().filter(OwnerVectors::usesGraph).count());
            out.put("sequence", cursor);
            out.put("rebuilds", rebuilds);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            owners.values().forEach(OwnerVectors::close);
            owners.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
