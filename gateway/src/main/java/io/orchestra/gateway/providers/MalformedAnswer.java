package io.orchestra.gateway.providers;

/**
 * A provider answered 200 with a body its translation cannot read (a field of the wrong type, a
 * vector missing): the gateway treats it as a 502 from that target, so fallback applies.
 */
public final class MalformedAnswer extends RuntimeException {
    public MalformedAnswer(String message) {
        super(message, null, false, false);
    }
}
