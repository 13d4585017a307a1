package io.orchestra.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson3;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.server.auth.ApiKeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one HTTP port. Owns everything cross-cutting so no handler repeats it: request ids, auth and
 * roles, problem+json errors, body limits, the request log, HTTP metrics and graceful draining.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("orchestra.access");

    private final OrchestraConfig config;
    private final ApiKeyStore keys;
    private final MeterRegistry metrics;
    private final Set<String> publicPaths;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Javalin app;

    public HttpServer(
            OrchestraConfig config,
            ApiKeyStore keys,
            MeterRegistry metrics,
            List<RouteGroup> groups,
            List<Consumer<ServletContextHandler>> servletCustomizers) {
        this.config = config;
        this.keys = keys;
        this.metrics = metrics;
        this.publicPaths = Set.copyOf(config.publicPaths());
        try {
            java.nio.file.Files.createDirectories(config.dataDir().resolve("tmp"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot create " + config.dataDir().resolve("tmp"), e);
        }
        this.app = Javalin.create(javalin -> configure(javalin, groups, servletCustomizers));
    }

    private void configure(
            JavalinConfig javalin, List<RouteGroup> groups, List<Consumer<ServletContextHandler>> servletCustomizers) {
        javalin.concurrency.useVirtualThreads = true;
        javalin.startup.showJavalinBanner = false;
        javalin.http.maxRequestSize = config.maxBodyBytes();
        javalin.http.prefer405over404 = true;
        // Compression would hold streamed tokens back in a gzip buffer, and costs latency on small JSON.
        javalin.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
        javalin.jsonMapper(new JavalinJackson3(Json.mapper(), true));
        javalin.jetty.host = config.host();
        javalin.jetty.port = config.port();
        // Multipart uploads spill to disk past 1 MiB and have their own, larger limit.
        javalin.jetty.multipartConfig.cacheDirectory(
                config.dataDir().resolve("tmp").toAbsolutePath().toString());
        javalin.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
        javalin.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
        javalin.jetty.multipartConfig.maxTotalRequestSize(
                config.maxUploadBytes() + 1024 * 1024, io.javalin.config.SizeUnit.BYTES);
        javalin.jetty.modifyServer(server -> server.setStopTimeout(
                Duration.ofSeconds(config.shutdownGraceSeconds()).toMillis()));
        servletCustomizers.forEach(javalin.jetty::modifyServletContextHandler);
        javalin.requestLogger.http(this::logRequest);

        var routes = javalin.routes;
        routes.before(this::beginRequest);
        routes.beforeMatched(this::authorize);
        routes.after(ctx -> inFlight.decrementAndGet());
        routes.exception(ProblemException.class, (e, ctx) -> Problems.write(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, fromJavalin(e)));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            Problems.write(
                    ctx,
                    new ProblemException(
                            500,
                            "internal",
                            "Internal error",
                            "the server failed to handle this request; quote request id " + Requests.requestId(ctx)));
        });
        routes.error(404, ctx -> {
            // A handler's own HTML 404 (the UI's "not found" pages) stays; anything else becomes problem+json.
            if (ctx.result() == null
                    || !isProblem(ctx)
                            && !String.valueOf(ctx.res().getContentType()).startsWith("text/html")) {
                Problems.write(ctx, ProblemException.notFound("no route for " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(405, ctx -> {
            if (!isProblem(ctx)) {
                Problems.write(
                        ctx,
                        new ProblemException(
                                405,
                                "method-not-allowed",
                                "Method not allowed",
                                ctx.method() + " is not allowed on " + ctx.path()));
            }
        });
        groups.forEach(group -> group.addRoutes(routes));
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null
                && (type.startsWith("application/problem+json")
                        || ctx.path().startsWith("/v1/") && type.startsWith("application/json"));
    }

    private static ProblemException fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        if (status == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            return ProblemException.tooLarge(
                    "request body exceeds the limit of the server (orchestra.http.max-body-bytes)");
        }
        HttpStatus known = HttpStatus.forStatus(status);
        return new ProblemException(
                status, known.name().toLowerCase().replace('_', '-'), known.getMessage(), e.getMessage());
    }

    private void beginRequest(Context ctx) {
        inFlight.incrementAndGet();
        String requestId = Requests.requestIdFor(ctx.header(Requests.REQUEST_ID_HEADER));
        ctx.attribute(Requests.REQUEST_ID, requestId);
        ctx.header(Requests.REQUEST_ID_HEADER, requestId);
        MDC.put("request_id", requestId);
        traceId(ctx)
                .ifPresent(trace -> MDC.put(
                        CLOUD_PROJECT == null ? "trace_id" : "logging.googleapis.com/trace",
                        CLOUD_PROJECT == null ? trace : "projects/" + CLOUD_PROJECT + "/traces/" + trace));
        long length = ctx.req().getContentLengthLong();
        boolean multipart = ctx.isMultipartFormData();
        long limit = multipart ? config.maxUploadBytes() + 64 * 1024 : config.maxBodyBytes();
        if (length > limit) {
            throw ProblemException.tooLarge(
                    "request body of " + length + " bytes exceeds the limit of " + limit + " bytes ("
                            + (multipart ? "orchestra.http.max-upload-bytes" : "orchestra.http.max-body-bytes") + ")");
        }
    }

    /** On Google Cloud, logs carry the trace so Cloud Logging groups a request's lines. */
    private static final String CLOUD_PROJECT = System.getenv("GOOGLE_CLOUD_PROJECT");

    /** The trace id from W3C {@code traceparent} or Google's {@code X-Cloud-Trace-Context}. */
    static Optional<String> traceId(Context ctx) {
        String traceparent = ctx.header("traceparent");
        if (traceparent != null && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
            return Optional.of(traceparent.substring(3, 35));
        }
        String cloud = ctx.header("X-Cloud-Trace-Context");
        if (cloud != null && cloud.matches("[0-9a-fA-F]{32}(/.*)?")) {
            return Optional.of(cloud.substring(0, 32));
        }
        return Optional.empty();
    }

    private void authorize(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC) || publicPaths.contains(ctx.path())) {
            return;
        }
        Principal principal = keys.authenticateHeader(ctx.header("Authorization"))
                .orElseThrow(() -> ProblemException.unauthorized(
                        "a valid API key is required: send 'Authorization: Bearer <key>'"));
        ctx.attribute(Requests.PRINCIPAL, principal);
        MDC.put("key_id", principal.keyId());
        if (roles.contains(Access.ADMIN) && !principal.isAdmin()) {
            throw ProblemException.forbidden(
                    "this route needs an admin key; key '" + principal.keyName() + "' is a member key");
        }
    }

    /** One timer per method, route and status, built once (building it per request showed in the gateway's profile). */
    private record TimerKey(String method, String route, int status) {}

    private final java.util.concurrent.ConcurrentHashMap<TimerKey, Timer> timers =
            new java.util.concurrent.ConcurrentHashMap<>();

    private void logRequest(Context ctx, Float millis) {
        String route = routeOf(ctx);
        timers.computeIfAbsent(
                        new TimerKey(ctx.method().name(), route, ctx.statusCode()),
                        key -> Timer.builder("http.server.requests")
                                .description("HTTP server requests by route and status")
                                .tag("method", key.method())
                                .tag("route", key.route())
                                .tag("status", Integer.toString(key.status()))
                                .publishPercentileHistogram()
                                .register(metrics))
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
        if (!route.equals("/health") && !route.equals("/metrics")) {
            ACCESS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(millis * 100) / 100.0);
        }
        MDC.clear();
    }

    private static String routeOf(Context ctx) {
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }

    public HttpServer start() {
        app.start();
        LOG.info("listening on {}:{}", config.host(), app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Stops accepting, waits (bounded) for in-flight requests, then stops Jetty. */
    public void stop() {
        var server = app.jettyServer().server();
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                network.close();
            }
        }
        long deadline = System.nanoTime()
                + Duration.ofSeconds(config.shutdownGraceSeconds()).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn(
                    "stopping with {} requests still in flight after {}s",
                    inFlight.get(),
                    config.shutdownGraceSeconds());
        }
        app.stop();
    }
}
