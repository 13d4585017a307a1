package io.orchestra.server.ui;

import io.orchestra.agents.run.Run;
import java.time.Instant;
import java.util.List;

/**
 * A run's steps laid out on one time axis: each step's start offset and duration as a share of
 * the whole run, for bars drawn side by side (parallel sub-tasks overlap, as they ran).
 */
public record RunTimeline(Run run, List<Bar> bars, long spanMillis) {

    /** One step and where its bar goes; {@code left} and {@code width} are percentages of the span. */
    public record Bar(Run.Step step, long offsetMillis, long durationMillis, double left, double width, int depth) {}

    static RunTimeline of(Run run, Instant now) {
        Instant start = run.startedAt();
        long span = Math.max(1, millis(start, run.finishedAt() != null ? run.finishedAt() : latest(run, now)));
        List<Bar> bars = run.steps().stream()
                .map(step -> {
                    long offset = Math.max(0, millis(start, step.startedAt()));
                    long duration = step.durationMillis() != null
                            ? step.durationMillis()
                            : millis(step.startedAt(), step.finishedAt() != null ? step.finishedAt() : now);
                    double left = Math.min(100, 100.0 * offset / span);
                    double width = Math.max(0.5, Math.min(100 - left, 100.0 * duration / span));
                    return new Bar(step, offset, duration, round(left), round(width), step.parentSeq() == null ? 0 : 1);
                })
                .toList();
        return new RunTimeline(run, bars, span);
    }

    public boolean running() {
        return run.status().equals("running");
    }

    private static Instant latest(Run run, Instant now) {
        return run.steps().stream()
                .map(s -> s.finishedAt() != null ? s.finishedAt() : now)
                .max(Instant::compareTo)
                .orElse(now);
    }

    private static long millis(Instant from, Instant to) {
        return to.toEpochMilli() - from.toEpochMilli();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
