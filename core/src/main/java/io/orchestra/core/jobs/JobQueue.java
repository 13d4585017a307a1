package io.orchestra.core.jobs;

import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
import io.orchestra.core.util.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The job table. Claiming is atomic: PostgreSQL uses {@code FOR UPDATE SKIP LOCKED} so replicas
 * never take the same job; SQLite's immediate transactions serialise claims. A claim is a lease:
 * a job whose worker died is claimed again once the lease expires.
 */
public final class JobQueue {
    private final Database database;
    private final Clock clock;

    public JobQueue(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public String enqueue(String kind, String owner, String payload, int maxAttempts) {
        String id = Ids.newId("job");
        long now = clock.millis();
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        INSERT INTO jobs (id, kind, owner, payload, status, max_attempts, run_after, created_at, updated_at)
                        VALUES (:id, :kind, :owner, :payload, 'queued', :max, :now, :now, :now)""")
                        .bind("id", id)
                        .bind("kind", kind)
                        .bind("owner", owner)
                        .bind("payload", payload)
                        .bind("max", maxAttempts)
                        .bind("now", now)
                        .execute());
        return id;
    }

    public Optional<Job> find(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> map(rs))
                        .findOne());
    }

    /** Takes the oldest runnable job of the given kinds for {@code worker}, leased for {@code leaseMillis}. */
    public Optional<Job> claim(java.util.Collection<String> kinds, String worker, long leaseMillis) {
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        String lock = database.kind() == DatabaseKind.POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
        return database.jdbi().inTransaction(h -> {
            Optional<String> id = h.createQuery("""
                            SELECT id FROM jobs
                            WHERE kind IN (<kinds>)
                              AND ((status = 'queued' AND run_after <= :now) OR (status = 'running' AND locked_until < :now))
                            ORDER BY run_after, created_at LIMIT 1""" + lock)
                    .bindList("kinds", java.util.List.copyOf(kinds))
                    .bind("now", now)
                    .mapTo(String.class)
                    .findOne();
            if (id.isEmpty()) {
                return Optional.<Job>empty();
            }
            h.createUpdate("""
                            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = :worker,
                                   locked_until = :until, updated_at = :now, error = NULL
                            WHERE id = :id""")
                    .bind("worker", worker)
                    .bind("until", now + leaseMillis)
                    .bind("now", now)
                    .bind("id", id.get())
                    .execute();
            return find(h, id.get());
        });
    }

    public void progress(String id, double fraction, String message) {
        database.jdbi()
                .useHandle(h -> h.createUpdate(
                                "UPDATE jobs SET progress = :p, message = :m, updated_at = :now WHERE id = :id AND status = 'running'")
                        .bind("p", Math.max(0, Math.min(1, fraction)))
                        .bind("m", message)
                        .bind("now", clock.millis())
                        .bind("id", id)
                        .execute());
    }

    public void complete(String id, String message) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        UPDATE jobs SET status = 'done', progress = 1, message = :m, locked_by = NULL, locked_until = NULL,
                               updated_at = :now WHERE id = :id""")
                        .bind("m", message)
                        .bind("now", clock.millis())
                        .bind("id", id)
                        .execute());
    }

    /** Records a failed attempt: back to the queue with exponential backoff, or failed for good. */
    public JobStatus fail(String id, String error, boolean retryable) {
        long now = clock.millis();
        return database.jdbi().inTransaction(h -> {
            Job job = find(h, id).orElseThrow();
            boolean again = retryable && job.attempts() < job.maxAttempts();
            long backoff = Math.min(60_000L, 500L << Math.min(job.attempts(), 7));
            h.createUpdate("""
                            UPDATE jobs SET status = :status, error = :error, run_after = :after, locked_by = NULL,
                                   locked_until = NULL, updated_at = :now WHERE id = :id""")
                    .bind("status", again ? "queued" : "failed")
                    .bind("error", error)
                    .bind("after", now + backoff)
                    .bind("now", now)
                    .bind("id", id)
                    .execute();
            return again ? JobStatus.QUEUED : JobStatus.FAILED;
        });
    }

    /** A user asked to try a failed job again: fresh attempts, queued now. */
    public boolean retry(String id) {
        long now = clock.millis();
        return database.jdbi()
                        .withHandle(h -> h.createUpdate("""
                        UPDATE jobs SET status = 'queued', attempts = 0, progress = 0, error = NULL, run_after = :now,
                               updated_at = :now WHERE id = :id AND status = 'failed'""")
                                .bind("now", now)
                                .bind("id", id)
                                .execute())
                == 1;
    }

    private static Optional<Job> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM jobs WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    private static Job map(ResultSet rs) throws SQLException {
        return new Job(
                rs.getString("id"),
                rs.getString("kind"),
                rs.getString("owner"),
                rs.getString("payload"),
                JobStatus.parse(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getDouble("progress"),
                rs.getString("message"),
                rs.getString("error"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
