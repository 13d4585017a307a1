package io.orchestra.gateway;

import java.util.Map;

/** Where a streamed answer goes (the HTTP response, or an in-process caller). */
public interface StreamSink {
    /** Called once, before the first chunk: the response headers are final from here on. */
    void open(Map<String, String> headers);

    /** One OpenAI chunk (JSON text), sent at once. */
    void chunk(String json);

    /**
     * One chunk that may wait in a buffer until {@link #flush}: the gateway uses it while more of
     * the provider's stream is already at hand, so a burst goes out in one write, not one per chunk.
     */
    default void buffer(String json) {
        chunk(json);
    }

    /** Sends what {@link #buffer} held back. */
    default void flush() {}

    /** An error after the stream began: the client gets it as a final event. */
    void error(String json);

    /** The end of a successful stream. */
    void done();
}
