package io.orchestra.gateway.providers;

/** How a provider frames its streamed events. */
public enum StreamFormat {
    /** text/event-stream: "event:" and "data:" lines, blank line between events. */
    SSE,
    /** One JSON object per line (Ollama). */
    NDJSON
}
