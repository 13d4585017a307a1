package io.orchestra.gateway;

import java.util.Locale;

/** Which gateway API a call came through. */
public enum Endpoint {
    CHAT,
    EMBEDDINGS;

    /** The request log's endpoint column and the metrics' operation name. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
