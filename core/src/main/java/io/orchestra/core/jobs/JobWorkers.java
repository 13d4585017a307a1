package io.orchestra.core.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the queue and runs jobs on virtual threads, at most {@code concurrency} at a time per
 * replica. {@link #wake()} skips the poll delay after a local enqueue.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);
    private static final long LEASE_MILLIS = 10 * 60_000;

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    private final String workerId;
    private final Semaphore slots;
    private final Semaphore wakeups = new Semaphore(0);
    private final long pollMillis;
    private volatile boolean running;
    private Thread loop;

    public JobWorkers(JobQueue queue, String workerId, int concurrency, long pollMillis) {
        this.queue = queue;
        this.workerId = workerId;
        this.slots = new Semaphore(concurrency);
        this.pollMillis = pollMillis;
    }

    public JobWorkers register(String kind, JobHandler handler) {
        handlers.put(kind, handler);
        return this;
    }

    public void start() {
        running = true;
        loop = Thread.ofVirtual().name("job-workers").start(this::run);
    }

    public void wake() {
        wakeups.release();
    }

    private void run() {
        while (running) {
            try {
                slots.acquire();
                var job = queue.claim(handlers.keySet(), workerId, LEASE_MILLIS);
                if (job.isEmpty()) {
                    slots.release();
                    wakeups.tryAcquire(pollMillis, TimeUnit.MILLISECONDS);
                    wakeups.drainPermits();
                    continue;
                }
                Job claimed = job.get();
                Thread.ofVirtual().name("job-" + claimed.id()).start(() -> execute(claimed));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release();
                LOG.warn("job poll failed: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private void execute(Job job) {
        try {
            handlers.get(job.kind()).run(job, (fraction, message) -> queue.progress(job.id(), fraction, message));
            queue.complete(job.id(), "done");
        } catch (Exception e) {
            boolean retryable = !(e instanceof PermanentJobFailure);
            JobStatus status = queue.fail(
                    job.id(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), retryable);
            LOG.warn(
                    "job {} ({}) attempt {} failed, now {}: {}",
                    job.id(),
                    job.kind(),
                    job.attempts(),
                    status.wire(),
                    e.getMessage());
        } finally {
            slots.release();
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }
}
