package io.orchestra.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobQueueTest {
    @TempDir
    Path dir;

    private Database open(String kind, List<AutoCloseable> cleanup) {
        DatabaseSettings settings;
        if (kind.equals("postgres")) {
            TestPostgres.Fresh fresh = TestPostgres.freshDatabase();
            cleanup.add(fresh);
            settings = new DatabaseSettings(fresh.jdbcUrl(), Optional.empty(), Optional.empty(), 10);
        } else {
            settings = new DatabaseSettings(
                    "jdbc:sqlite:" + dir.resolve("jobs.db"), Optional.empty(), Optional.empty(), 8);
        }
        Database db = Database.open(settings, "jobs-test");
        db.migrate();
        return db;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void concurrentClaimersNeverTakeTheSameJob(String kind) throws Exception {
        List<AutoCloseable> cleanup = new java.util.ArrayList<>();
        try (Database db = open(kind, cleanup)) {
            JobQueue queue = new JobQueue(db, Clock.systemUTC());
            for (int i = 0; i < 120; i++) {
                queue.enqueue("work", "alice", "{\"n\":" + i + "}", 3);
            }
            Set<String> claimed = ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
            CountDownLatch done = new CountDownLatch(6);
            try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
                for (int w = 0; w < 6; w++) {
                    String worker = "w" + w;
                    pool.submit(() -> {
                        try {
                            Optional<Job> job;
                            while ((job = queue.claim(Set.of("work"), worker, 60_000)).isPresent()) {
                                if (!claimed.add(job.get().id())) {
                                    duplicates.incrementAndGet();
                                }
                                queue.complete(job.get().id(), "ok");
                            }
                        } finally {
                            done.countDown();
                        }
                        return null;
                    });
                }
                done.await();
            }
            assertThat(duplicates.get()).isZero();
            assertThat(claimed).hasSize(120);
        } finally {
            for (AutoCloseable c : cleanup) {
                c.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void failedAttemptsRetryWithBackoffThenFailAndCanBeRetriedByHand(String kind) throws Exception {
        List<AutoCloseable> cleanup = new java.util.ArrayList<>();
        try (Database db = open(kind, cleanup)) {
            JobQueue queue = new JobQueue(db, Clock.systemUTC());
            String id = queue.enqueue("work", "alice", "{}", 2);
            assertThat(queue.claim(Set.of("work"), "w", 60_000)).isPresent();
            assertThat(queue.fail(id, "boom", true)).isEqualTo(JobStatus.QUEUED);
            assertThat(queue.claim(Set.of("work"), "w", 60_000))
                    .as("backoff holds it back")
                    .isEmpty();
            Thread.sleep(1100);
            assertThat(queue.claim(Set.of("work"), "w", 60_000)).isPresent();
            assertThat(queue.fail(id, "boom again", true)).isEqualTo(JobStatus.FAILED);
            assertThat(queue.find(id).orElseThrow().error()).isEqualTo("boom again");
            assertThat(queue.retry(id)).isTrue();
            Job again = queue.claim(Set.of("work"), "w", 60_000).orElseThrow();
            assertThat(again.attempts()).isEqualTo(1);
        } finally {
            for (AutoCloseable c : cleanup) {
                c.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void anExpiredLeaseIsClaimedAgain(String kind) throws Exception {
        try (Database db = open(kind, new java.util.ArrayList<>())) {
            JobQueue queue = new JobQueue(db, Clock.systemUTC());
            String id = queue.enqueue("work", "alice", "{}", 3);
            assertThat(queue.claim(Set.of("work"), "dead-worker", 1)
                            .orElseThrow()
                            .id())
                    .isEqualTo(id);
            Thread.sleep(20);
            Job reclaimed = queue.claim(Set.of("work"), "live-worker", 60_000).orElseThrow();
            assertThat(reclaimed.id()).isEqualTo(id);
            assertThat(reclaimed.attempts()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void workersRunHandlersReportProgressAndStopOnPermanentFailures(String kind) throws Exception {
        try (Database db = open(kind, new java.util.ArrayList<>())) {
            JobQueue queue = new JobQueue(db, Clock.systemUTC());
            CountDownLatch ran = new CountDownLatch(2);
            try (JobWorkers workers = new JobWorkers(queue, "w1", 2, 50)) {
                workers.register("ok", (job, progress) -> {
                    progress.report(0.5, "halfway");
                    ran.countDown();
                });
                workers.register("bad", (job, progress) -> {
                    ran.countDown();
                    throw new PermanentJobFailure("unsupported format");
                });
                workers.start();
                String ok = queue.enqueue("ok", "alice", "{}", 3);
                String bad = queue.enqueue("bad", "alice", "{}", 3);
                workers.wake();
                ran.await();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while ((queue.find(ok).orElseThrow().status() != JobStatus.DONE
                                || queue.find(bad).orElseThrow().status() != JobStatus.FAILED)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(queue.find(ok).orElseThrow().status()).isEqualTo(JobStatus.DONE);
                Job failed = queue.find(bad).orElseThrow();
                assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
                assertThat(failed.attempts()).isEqualTo(1);
                assertThat(failed.error()).isEqualTo("unsupported format");
            }
        }
    }
}
