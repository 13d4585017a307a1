package io.orchestra.gateway.usage;

import io.orchestra.core.storage.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request rows in batches on a background thread so the request path never waits on the
 * database; a row is in the table within about {@link #LINGER_MILLIS} ms. The queue is bounded: under a write outage rows are dropped and counted, never block.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    private static final int BATCH = 200;
    private static final long LINGER_MILLIS = 50;

    private final Database database;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(50_000);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong(); // rows queued
    private final AtomicLong settled = new AtomicLong(); // rows written, or dropped by a failed write
    private final Thread writer;
    private volatile boolean running = true;

    public UsageRecorder(Database database) {
        this.database = database;
        this.writer = Thread.ofVirtual().name("usage-recorder").start(this::run);
    }

    /** One call for the log: its row, its attempts (may be empty) and its bodies (null unless body logging is on). */
    public record Entry(RequestRecord row, List<AttemptRecord> attempts, LoggedBodies bodies) {}

    public void record(RequestRecord record) {
        record(new Entry(record, List.of(), null));
    }

    public void record(Entry entry) {
        if (queue.offer(entry)) {
            accepted.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    public long dropped() {
        return dropped.get();
    }

    /** Writes everything recorded so far, including a batch the writer holds (tests and shutdown). */
    public void flush() {
        long target = accepted.get();
        List<Entry> batch = new ArrayList<>();
        while (queue.drainTo(batch, BATCH) > 0) {
            write(batch);
            batch.clear();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (this) {
            while (settled.get() < target && System.nanoTime() < deadline) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // Linger briefly so a busy gateway writes one transaction per batch, not one per row:
                // a row-at-a-time writer spends more CPU than the requests it records.
                if (queue.size() < BATCH - 1) {
                    Thread.sleep(LINGER_MILLIS);
                }
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
                write(batch); // rows taken before the interrupt; close() flushes the rest
            } finally {
                batch.clear();
            }
        }
    }

    private synchronized void write(List<Entry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            insert(batch);
        } finally {
            settled.addAndGet(batch.size());
            notifyAll();
        }
    }

    private void insert(List<Entry> batch) {
        try {
            database.jdbi().useTransaction(h -> {
                var insert = h.prepareBatch("""
                        INSERT INTO requests (id, key_id, owner, alias, provider, model, endpoint, stream, status, prompt_tokens,
                            completion_tokens, cached_tokens, reasoning_tokens, cost_usd, latency_ms, first_token_ms, attempts, cache,
                            error, created_at)
                        VALUES (:id, :keyId, :owner, :alias, :provider, :model, :endpoint, :stream, :status, :promptTokens,
                            :completionTokens, :cachedTokens, :reasoningTokens, :costUsd, :latencyMs, :firstTokenMs, :attempts, :cache,
                            :error, :createdAt)""");
                for (Entry entry : batch) {
                    RequestRecord r = entry.row();
                    insert.bind("id", r.id())
                            .bind("keyId", r.keyId())
                            .bind("owner", r.owner())
                            .bind("alias", r.alias())
                            .bind("provider", r.provider())
                            .bind("model", r.model())
                            .bind("endpoint", r.endpoint())
                            .bind("stream", r.stream() ? 1 : 0)
                            .bind("status", r.status())
                            .bind("promptTokens", r.promptTokens())
                            .bind("completionTokens", r.completionTokens())
                            .bind("cachedTokens", r.cachedTokens())
                            .bind("reasoningTokens", r.reasoningTokens())
                            .bind("costUsd", r.costUsd())
                            .bind("latencyMs", r.latencyMs())
                            .bind("firstTokenMs", r.firstTokenMs())
                            .bind("attempts", r.attempts())
                            .bind("cache", r.cache())
                            .bind("error", r.error())
                            .bind("createdAt", r.createdAt())
                            .add();
                }
                insert.execute();
                insertAttempts(h, batch);
                insertBodies(h, batch);
            });
        } catch (RuntimeException e) {
            dropped.addAndGet(batch.size());
            LOG.warn("could not write {} request rows: {}", batch.size(), e.toString());
        }
    }

    private static void insertAttempts(org.jdbi.v3.core.Handle h, List<Entry> batch) {
        var insert = h.prepareBatch("""
                INSERT INTO request_attempts (request_id, seq, owner, provider, model, status, outcome, latency_ms, error, created_at)
                VALUES (:id, :seq, :owner, :provider, :model, :status, :outcome, :latencyMs, :error, :createdAt)""");
        int rows = 0;
        for (Entry entry : batch) {
            if (AttemptRecord.impliedByRow(entry.attempts())) {
                continue;
            }
            for (AttemptRecord a : entry.attempts()) {
                insert.bind("id", entry.row().id())
                        .bind("seq", a.seq())
                        .bind("owner", entry.row().owner())
                        .bind("provider", a.provider())
                        .bind("model", a.model())
                        .bind("status", a.status())
                        .bind("outcome", a.outcome().wire())
                        .bind("latencyMs", a.latencyMs())
                        .bind("error", a.error())
                        .bind("createdAt", entry.row().createdAt())
                        .add();
                rows++;
            }
        }
        if (rows > 0) {
            insert.execute();
        }
    }

    private static void insertBodies(org.jdbi.v3.core.Handle h, List<Entry> batch) {
        var insert = h.prepareBatch("""
                INSERT INTO request_bodies (request_id, owner, request_body, response_body, created_at)
                VALUES (:id, :owner, :request, :response, :createdAt)""");
        int rows = 0;
        for (Entry entry : batch) {
            LoggedBodies bodies = entry.bodies();
            if (bodies == null || (bodies.request() == null && bodies.response() == null)) {
                continue;
            }
            insert.bind("id", entry.row().id())
                    .bind("owner", entry.row().owner())
                    .bind("request", bodies.request())
                    .bind("response", bodies.response())
                    .bind("createdAt", entry.row().createdAt())
                    .add();
            rows++;
        }
        if (rows > 0) {
            insert.execute();
        }
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
