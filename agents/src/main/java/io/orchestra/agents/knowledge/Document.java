package io.orchestra.agents.knowledge;

import java.time.Instant;

/** An uploaded document and where its ingestion stands. */
public record Document(
        String id,
        String owner,
        String personaId,
        String filename,
        String mediaType,
        long sizeBytes,
        String sha256,
        String status,
        String error,
        int chunkCount,
        String jobId,
        Instant createdAt,
        Instant updatedAt) {}
