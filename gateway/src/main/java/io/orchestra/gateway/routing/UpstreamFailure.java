package io.orchestra.gateway.routing;

/** Why an attempt at a target failed, and whether trying again (here or elsewhere) makes sense. */
public final class UpstreamFailure extends Exception {
    public enum Kind {
        CONNECT,
        TIMEOUT,
        STATUS,
        STREAM
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

    /** Connect errors, timeouts, 408, 409, 429 and 5xx are worth another try; other 4xx are the request's fault. */
    public boolean retryable() {
        return kind != Kind.STATUS || status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
