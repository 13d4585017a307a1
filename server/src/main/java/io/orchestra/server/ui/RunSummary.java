package io.orchestra.server.ui;

import java.time.Instant;
import java.util.Map;

/** One run in the runs list (a row of {@link io.orchestra.agents.run.RunStore#list}). */
public record RunSummary(
        String id,
        String kind,
        String personaId,
        String status,
        long promptTokens,
        long completionTokens,
        double costUsd,
        Instant startedAt,
        Long durationMillis) {

    static RunSummary of(Map<String, Object> row) {
        long started = ((Number) row.get("started_at")).longValue();
        Object finished = row.get("finished_at");
        return new RunSummary(
                (String) row.get("id"),
                (String) row.get("kind"),
                (String) row.get("persona_id"),
                (String) row.get("status"),
                ((Number) row.get("prompt_tokens")).longValue(),
                ((Number) row.get("completion_tokens")).longValue(),
                ((Number) row.get("cost_usd")).doubleValue(),
                Instant.ofEpochMilli(started),
                finished == null ? null : ((Number) finished).longValue() - started);
    }
}
