package io.orchestra.gateway;

import java.util.Map;

/** Where a streamed answer goes (the HTTP response, or an in-process caller). */
public interface StreamSink {
    /** Called once, before the first chunk: the response headers are final from here on. */
    void open(Map<String, String> headers);

    /** One OpenAI chunk (JSON text). */
    void chunk(String json);

    /** An error after the stream began: the client gets it as a final event. */
    void error(String json);

    /** The end of a successful stream. */
    void done();
}
