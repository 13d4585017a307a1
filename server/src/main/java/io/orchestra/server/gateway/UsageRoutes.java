package io.orchestra.server.gateway;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * /api/usage (aggregates), /api/requests (the request log), /api/requests/{id} (one call with its
 * attempts and logged bodies) and DELETE /api/requests/bodies (erase the stored bodies of one's
 * own calls). Members see their own, admins everything.
 */
public final class UsageRoutes implements RouteGroup {
    private final RequestLog log;

    public UsageRoutes(RequestLog log) {
        this.log = log;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/usage", this::usage);
        routes.get("/api/requests", this::requests);
        routes.get("/api/requests/{id}", this::request);
        routes.delete("/api/requests/bodies", this::purgeBodies);
    }

    private void request(Context ctx) {
        String id = Requests.pathId(ctx, "id");
        Principal caller = Requests.principal(ctx);
        ctx.json(log.detailMap(id, caller)
                .or(() -> {
                    log.flushQueued(); // a call that has just ended may still be queued: one flush, no waiting loop
                    return log.detailMap(id, caller);
                })
                .orElseThrow(() -> ProblemException.notFound("no request with id '" + id + "' that this key may see")));
    }

    /** Erases the caller's owner's stored bodies (an admin may name another owner); the rows stay for accounting. */
    private void purgeBodies(Context ctx) {
        if (!"true".equals(ctx.queryParam("confirm"))) {
            throw ProblemException.badRequest("deleting the stored request and response bodies needs ?confirm=true");
        }
        Principal caller = Requests.principal(ctx);
        String owner = ctx.queryParam("owner");
        if (owner == null || owner.isBlank()) {
            owner = caller.owner();
        } else if (!caller.isAdmin() && !owner.equals(caller.owner())) {
            throw ProblemException.forbidden("only an admin may erase another owner's bodies");
        }
        ctx.json(Map.of("owner", owner, "deleted", log.purgeBodies(owner)));
    }

    private long since(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(
                    "query parameter '" + name + "' must be an ISO-8601 instant like 2026-11-23T00:00:00Z");
        }
    }

    private void usage(Context ctx) {
        Principal caller = Requests.principal(ctx);
        String group = ctx.queryParamAsClass("group_by", String.class).getOrDefault("day");
        long from = since(ctx, "from", System.currentTimeMillis() - 30L * 86_400_000);
        long to = since(ctx, "to", Long.MAX_VALUE);
        ctx.json(Map.of("group_by", group, "data", log.usage(caller, group, from, to)));
    }

    private void requests(Context ctx) {
        Principal caller = Requests.principal(ctx);
        int limit = Requests.queryInt(ctx, "limit", 100, 1, 1000);
        RequestLog.Filter filter = new RequestLog.Filter(
                ctx.queryParam("key_id"),
                blankAsNull(ctx.queryParam("model")),
                blankAsNull(ctx.queryParam("status")),
                since(ctx, "from", 0),
                Long.MAX_VALUE);
        ctx.json(Map.of("data", log.rows(caller, filter, limit, 0)));
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
