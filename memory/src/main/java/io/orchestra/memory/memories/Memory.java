package io.orchestra.memory.memories;

import java.time.Instant;
import java.util.List;

/** One remembered fact. {@code agent} null means shared by all the owner's personas. */
public record Memory(
        String id,
        String agent,
        String sessionId,
        String text,
        List<String> tags,
        double importance,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt) {}
