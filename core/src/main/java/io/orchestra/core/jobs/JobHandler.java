package io.orchestra.core.jobs;

/** Does the work of one job kind. Throwing fails the attempt; the queue retries with backoff. */
@FunctionalInterface
public interface JobHandler {
    void run(Job job, Progress progress) throws Exception;

    /** Lets a running job report how far it got, visible to users while it runs. */
    @FunctionalInterface
    interface Progress {
        void report(double fraction, String message);
    }
}
