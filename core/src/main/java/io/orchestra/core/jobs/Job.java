package io.orchestra.core.jobs;

import java.time.Instant;

/** One unit of background work and its state. */
public record Job(
        String id,
        String kind,
        String owner,
        String payload,
        JobStatus status,
        int attempts,
        int maxAttempts,
        double progress,
        String message,
        String error,
        Instant createdAt,
        Instant updatedAt) {}
