package io.orchestra.gateway;

import io.orchestra.core.json.Json;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A non-streamed answer and the headers that say how it was produced. {@code raw} holds the
 * answer's bytes as received when they need no change (passthrough providers, cache hits), so the
 * hot path writes them as they are instead of serialising {@code body} again; {@code body} is
 * read-only in that case.
 */
public record ChatResult(ObjectNode body, Map<String, String> headers, byte[] raw) {
    public ChatResult(ObjectNode body, Map<String, String> headers) {
        this(body, headers, null);
    }

    /** The bytes to send to the client. */
    public byte[] bytes() {
        return raw != null ? raw : Json.writeBytes(body);
    }
}
