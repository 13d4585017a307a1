package io.orchestra.server.ui;

import io.orchestra.agents.knowledge.Document;
import io.orchestra.core.jobs.Job;
import java.util.Locale;
import java.util.Optional;

/** A document with where its ingestion job stands (progress 0..1 and the job's last message). */
public record DocumentRow(Document document, double progress, String message, int attempts) {

    static DocumentRow of(Document document, Optional<Job> job) {
        double progress =
                document.status().equals("ready") ? 1.0 : job.map(Job::progress).orElse(0.0);
        return new DocumentRow(
                document,
                progress,
                job.map(Job::message).orElse(null),
                job.map(Job::attempts).orElse(0));
    }

    /** Still queued or being ingested: the list keeps polling while any row is. */
    public boolean pending() {
        return !document.status().equals("ready") && !document.status().equals("failed");
    }

    public int percent() {
        return (int) Math.round(100 * Math.max(0, Math.min(1, progress)));
    }

    public String size() {
        long bytes = document.sizeBytes();
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
