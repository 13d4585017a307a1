package io.orchestra.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestra.core.auth.Principal;
import io.orchestra.server.auth.ApiKeyStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every request gets, whether Javalin or a mounted servlet (/mcp) answers it: a request id,
 * the caller's key, a place in the in-flight count that graceful shutdown waits on, the HTTP
 * timer and the access log line. Works on the servlet objects so both sides share it.
 */
public final class RequestScope {
    private static final Logger ACCESS = LoggerFactory.getLogger("orchestra.access");
    /** On Google Cloud, logs carry the trace so Cloud Logging groups a request's lines. */
    private static final String CLOUD_PROJECT = System.getenv("GOOGLE_CLOUD_PROJECT");

    private final ApiKeyStore keys;
    private final MeterRegistry metrics;
    private final long maxBodyBytes;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** One timer per method, route and status, built once (building it per request showed in the gateway's profile). */
    private record TimerKey(String method, String route, int status) {}

    private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public RequestScope(ApiKeyStore keys, MeterRegistry metrics, long maxBodyBytes) {
        this.keys = keys;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Counts the request in flight and gives it an id (the caller's when safe), on the response and in the log context. */
    public String begin(HttpServletRequest request, HttpServletResponse response) {
        inFlight.incrementAndGet();
        String requestId = Requests.requestIdFor(request.getHeader(Requests.REQUEST_ID_HEADER));
        request.setAttribute(Requests.REQUEST_ID, requestId);
        response.setHeader(Requests.REQUEST_ID_HEADER, requestId);
        SecurityHeaders.apply(request.getRequestURI(), SecurityHeaders.overHttps(request), response::setHeader);
        MDC.put("request_id", requestId);
        traceId(request.getHeader("traceparent"), request.getHeader("X-Cloud-Trace-Context"))
                .ifPresent(trace -> MDC.put(
                        CLOUD_PROJECT == null ? "trace_id" : "logging.googleapis.com/trace",
                        CLOUD_PROJECT == null ? trace : "projects/" + CLOUD_PROJECT + "/traces/" + trace));
        return requestId;
    }

    /** The caller behind the request's {@code Authorization} header, remembered on the request. */
    public Optional<Principal> authenticate(HttpServletRequest request) {
        Optional<Principal> principal = keys.authenticateHeader(request.getHeader("Authorization"));
        principal.ifPresent(p -> {
            request.setAttribute(Requests.PRINCIPAL, p);
            MDC.put("key_id", p.keyId());
        });
        return principal;
    }

    /** Records the timer and the access log line; the request stays counted until {@link #leave()}. */
    public void record(String method, String path, String route, int status, double millis) {
        timers.computeIfAbsent(
                        new TimerKey(method, route, status),
                        key -> Timer.builder("http.server.requests")
                                .description("HTTP server requests by route and status")
                                .tag("method", key.method())
                                .tag("route", key.route())
                                .tag("status", Integer.toString(key.status()))
                                .publishPercentileHistogram()
                                .register(metrics))
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
        if (!route.equals("/health") && !route.equals("/metrics")) {
            ACCESS.info("{} {} {} {}ms", method, path, status, Math.round(millis * 100) / 100.0);
        }
        MDC.clear();
    }

    public void leave() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** orchestra.http.max-body-bytes: the limit of every non-upload body. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public static String requestId(HttpServletRequest request) {
        Object id = request.getAttribute(Requests.REQUEST_ID);
        return id == null ? "" : id.toString();
    }

    /** The trace id from W3C {@code traceparent} or Google's {@code X-Cloud-Trace-Context}. */
    static Optional<String> traceId(String traceparent, String cloud) {
        if (traceparent != null && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
            return Optional.of(traceparent.substring(3, 35));
        }
        if (cloud != null && cloud.matches("[0-9a-fA-F]{32}(/.*)?")) {
            return Optional.of(cloud.substring(0, 32));
        }
        return Optional.empty();
    }
}
