package io.orchestra.agents.search;

/** A provider failed; the message is safe to show (it never contains the provider key). */
public final class SearchException extends RuntimeException {
    public SearchException(String message) {
        super(message);
    }

    public SearchException(String message, Throwable cause) {
        super(message, cause);
    }
}
