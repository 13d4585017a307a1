package io.orchestra.agents.run;

/** What a listener hears while a run goes: a step started or ended, or the run ended. */
public record RunEvent(
        String runId, String type, Integer seq, String kind, String name, String status, String output) {}
