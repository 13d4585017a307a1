package io.orchestra.server.health;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.server.http.Access;
import io.orchestra.server.http.RouteGroup;

/** Liveness, readiness and the admin health report. */
public final class HealthRoutes implements RouteGroup {
    private final HealthService health;

    public HealthRoutes(HealthService health) {
        this.health = health;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/health", ctx -> ctx.json(java.util.Map.of("status", "ok")), Access.PUBLIC);
        routes.get("/ready", this::ready, Access.PUBLIC);
        routes.get("/api/health", ctx -> ctx.json(health.report()), Access.ADMIN);
    }

    private void ready(Context ctx) {
        HealthService.Readiness readiness = health.readiness();
        ctx.status(readiness.ready() ? 200 : 503).json(readiness);
    }
}
