package io.orchestra.gateway.providers;

/** An error the provider reported inside a stream that had started with HTTP 200. */
public final class UpstreamStreamError extends RuntimeException {
    private final int status;

    public UpstreamStreamError(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status this error would have had (529/503 overloads are retryable like 5xx). */
    public int status() {
        return status;
    }
}
