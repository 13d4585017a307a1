package io.orchestra.agents.session;

import java.time.Instant;

/** One stored turn. {@code seq} orders a session's messages; {@code tokens} is the best count known. */
public record ChatMessage(
        String id,
        String sessionId,
        int seq,
        String role,
        String content,
        String personaId,
        int tokens,
        String metadata,
        Instant createdAt) {}
