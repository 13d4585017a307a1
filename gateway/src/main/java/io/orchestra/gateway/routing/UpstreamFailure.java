package io.orchestra.gateway.routing;

/** Why an attempt at a target failed, and whether trying again (here or elsewhere) makes sense. */
public final class UpstreamFailure extends Exception {
    public enum Kind {
        CONNECT,
        TIMEOUT,
        STATUS,
        STREAM,
        /** Not tried: the target's circuit breaker is open. */
        CIRCUIT_OPEN,
        /** Not tried: the target answered 429 and its Retry-After has not passed. */
        RATE_LIMITED
    }

    private final Kind kind;
    private final int status;
    private final Long retryAfterMillis;

    public UpstreamFailure(Kind kind, int status, String message, Long retryAfterMillis) {
        super(message, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream status (0 when there was none). */
    public int status() {
        return status;
    }

    public Long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** Back-pressure (a 429, or a target still inside its Retry-After): not a fault of the target. */
    public boolean rateLimited() {
        return kind == Kind.RATE_LIMITED || (kind == Kind.STATUS && status == 429);
    }

    /** Connect errors, timeouts, 408, 409, 429 and 5xx are worth another try; other 4xx are the request's fault. */
    public boolean retryable() {
        return kind != Kind.STATUS || status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
