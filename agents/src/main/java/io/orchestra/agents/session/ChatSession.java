package io.orchestra.agents.session;

import java.time.Instant;

/** A conversation. {@code summary} stands in for every message with seq up to {@code summarizedUpto}. */
public record ChatSession(
        String id,
        String owner,
        String personaId,
        String title,
        String summary,
        int summarizedUpto,
        Instant createdAt,
        Instant updatedAt) {}
