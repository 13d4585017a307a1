package io.orchestra.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson3;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.server.auth.ApiKeyStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port. Owns everything cross-cutting so no handler repeats it: request ids, auth and
 * roles, problem+json errors, body limits, the request log, HTTP metrics and graceful draining.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final OrchestraConfig config;
    private final RequestScope scope;
    private final Set<String> publicPaths;
    private final Javalin app;

    public HttpServer(
            OrchestraConfig config,
            ApiKeyStore keys,
            MeterRegistry metrics,
            List<RouteGroup> groups,
            List<ServletMount> servlets) {
        this.config = config;
        this.scope = new RequestScope(keys, metrics, config.maxBodyBytes());
        this.publicPaths = Set.copyOf(config.publicPaths());
        try {
            java.nio.file.Files.createDirectories(config.dataDir().resolve("tmp"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot create " + config.dataDir().resolve("tmp"), e);
        }
        this.app = Javalin.create(javalin -> configure(javalin, groups, servlets));
    }

    private void configure(JavalinConfig javalin, List<RouteGroup> groups, List<ServletMount> servlets) {
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
        javalin.jetty.modifyServer(server -> {
            server.setStopTimeout(
                    Duration.ofSeconds(config.shutdownGraceSeconds()).toMillis());
            server.setErrorHandler(new JettyErrors.ServerHandler());
        });
        javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors.ContextHandler()));
        servlets.forEach(mount -> javalin.jetty.modifyServletContextHandler(context -> mount(context, mount)));
        javalin.requestLogger.http(this::logRequest);

        var routes = javalin.routes;
        routes.before(this::beginRequest);
        routes.beforeMatched(this::authorize);
        routes.after(ctx -> scope.leave());
        routes.exception(ProblemException.class, (e, ctx) -> Problems.write(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> Problems.write(ctx, fromJavalin(e)));
        routes.exception(Exception.class, (e, ctx) -> {
            if (ClientGone.in(e)) {
                // Nobody is left to answer; a stream cut short by its reader is routine.
                LOG.info("client went away during {} {}", ctx.method(), ctx.path());
                return;
            }
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

    /** The exact servlet mapping wins over Javalin's catch-all; the scope filter runs first, then the servlet's guard. */
    private void mount(ServletContextHandler context, ServletMount mount) {
        var dispatch = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(new ScopeFilter()), mount.path(), dispatch);
        context.addFilter(new FilterHolder(mount.guard().apply(scope)), mount.path(), dispatch);
        context.addServlet(new ServletHolder(mount.servlet()), mount.path());
    }

    /** Javalin's before/after and request log, for a mounted servlet that Javalin never sees. */
    private final class ScopeFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            long start = System.nanoTime();
            scope.begin(request, response);
            try {
                chain.doFilter(req, res);
            } finally {
                scope.record(
                        request.getMethod(),
                        request.getRequestURI(),
                        request.getServletPath(),
                        response.getStatus(),
                        (System.nanoTime() - start) / 1e6);
                scope.leave();
            }
        }
    }

    private void beginRequest(Context ctx) {
        scope.begin(ctx.req(), ctx.res());
        long length = ctx.req().getContentLengthLong();
        boolean multipart = ctx.isMultipartFormData();
        long limit = multipart ? config.maxUploadBytes() + 64 * 1024 : config.maxBodyBytes();
        if (length > limit) {
            throw ProblemException.tooLarge(
                    "request body of " + length + " bytes exceeds the limit of " + limit + " bytes ("
                            + (multipart ? "orchestra.http.max-upload-bytes" : "orchestra.http.max-body-bytes") + ")");
        }
    }

    private void authorize(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC) || publicPaths.contains(ctx.path())) {
            return;
        }
        Principal principal =
                scope.authenticate(ctx.req()).orElseThrow(() -> ProblemException.unauthorized(Requests.KEY_REQUIRED));
        if (roles.contains(Access.ADMIN) && !principal.isAdmin()) {
            throw ProblemException.forbidden(
                    "this route needs an admin key; key '" + principal.keyName() + "' is a member key");
        }
    }

    private void logRequest(Context ctx, Float millis) {
        scope.record(ctx.method().name(), ctx.path(), routeOf(ctx), ctx.statusCode(), millis);
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
        while (scope.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (scope.inFlight() > 0) {
            LOG.warn(
                    "stopping with {} requests still in flight after {}s",
                    scope.inFlight(),
                    config.shutdownGraceSeconds());
        }
        app.stop();
    }
}
