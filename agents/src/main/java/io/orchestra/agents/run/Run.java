package io.orchestra.agents.run;

import java.time.Instant;
import java.util.List;

/** A traced piece of agent work with its steps in order. */
public record Run(
        String id,
        String owner,
        String kind,
        String personaId,
        String sessionId,
        String input,
        String output,
        String status,
        String error,
        int promptTokens,
        int completionTokens,
        double costUsd,
        Instant startedAt,
        Instant finishedAt,
        List<Step> steps) {

    /** One step: plan, model call, tool call, sub-task, synthesis. */
    public record Step(
            int seq,
            Integer parentSeq,
            String kind,
            String name,
            String personaId,
            String input,
            String output,
            String status,
            String error,
            int promptTokens,
            int completionTokens,
            double costUsd,
            Instant startedAt,
            Instant finishedAt,
            Long durationMillis) {}
}
