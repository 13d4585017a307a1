package io.orchestra.gateway.providers;

import java.util.List;

/**
 * Turns one provider stream into OpenAI {@code chat.completion.chunk} JSON strings, event by
 * event. Stateful (one per stream); pure otherwise: no I/O.
 */
public interface StreamTranslator {
    /**
     * @param event the SSE event name (null for NDJSON or unnamed events)
     * @param data the SSE data payload or the NDJSON line
     * @return chunks to send to the client, in order (possibly none)
     * @throws UpstreamStreamError when the provider reports an error inside the stream
     */
    List<String> onEvent(String event, String data);

    /** Whether the provider signalled the end of the stream. */
    boolean finished();

    /**
     * Whether the answer is whole: the provider sent its end event, or (for formats whose end marker
     * is only a courtesy) every choice has a finish reason. A stream that closes before this is cut off.
     */
    default boolean complete() {
        return finished();
    }

    /** Usage reported so far (complete once {@link #finished()}). */
    TokenUsage usage();

    /** The chunk head of this answer (id, created, model), for the chunks the gateway adds, such as usage. */
    String id();

    long created();

    /** The model the provider says answered (null until it said). */
    String model();

    /** Whether any chunk carried content or tool-call data (after which fallback is no longer possible). */
    boolean sentContent();
}
