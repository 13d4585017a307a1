package io.orchestra.server.gateway;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import io.orchestra.core.storage.DatabaseKind;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /api/usage (aggregates) and /api/requests (the request log). Members see their own, admins everything. */
public final class UsageRoutes implements RouteGroup {
    private static final Set<String> GROUPS = Set.of("key", "model", "day", "provider");

    private final Database database;

    public UsageRoutes(Database database) {
        this.database = database;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/usage", this::usage);
        routes.get("/api/requests", this::requests);
    }

    private long since(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be an ISO-8601 instant like 2026-11-23T00:00:00Z");
        }
    }

    private void usage(Context ctx) {
        Principal caller = Requests.principal(ctx);
        String group = ctx.queryParamAsClass("group_by", String.class).getOrDefault("day");
        if (!GROUPS.contains(group)) {
            throw ProblemException.badRequest("group_by must be one of " + GROUPS);
        }
        long from = since(ctx, "from", System.currentTimeMillis() - 30L * 86_400_000);
        long to = since(ctx, "to", Long.MAX_VALUE);
        String day = database.kind() == DatabaseKind.POSTGRES
                ? "to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                : "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";
        String column = switch (group) {
            case "key" -> "key_id";
            case "model" -> "COALESCE(model, alias)";
            case "provider" -> "COALESCE(provider, 'none')";
            default -> day;
        };
        String scope = caller.isAdmin() ? "" : " AND owner = :owner";
        List<Map<String, Object>> rows = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + column + " AS grp, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,"
                                + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
                                + " SUM(cached_tokens) AS cached_tokens, SUM(cost_usd) AS cost_usd,"
                                + " SUM(CASE WHEN cache = 'hit' THEN 1 ELSE 0 END) AS cache_hits"
                                + " FROM requests WHERE created_at >= :from AND created_at < :to" + scope
                                + " GROUP BY " + column + " ORDER BY grp")
                .bind("from", from).bind("to", to).bind("owner", caller.owner())
                .mapToMap().list());
        ctx.json(Map.of("group_by", group, "data", rows));
    }

    private void requests(Context ctx) {
        Principal caller = Requests.principal(ctx);
        int limit = Requests.queryInt(ctx, "limit", 100, 1, 1000);
        StringBuilder where = new StringBuilder("WHERE created_at >= :from");
        if (!caller.isAdmin()) {
            where.append(" AND owner = :owner");
        }
        String key = ctx.queryParam("key_id");
        String model = ctx.queryParam("model");
        String status = ctx.queryParam("status");
        if (key != null) {
            where.append(" AND key_id = :key");
        }
        if (model != null) {
            where.append(" AND (model = :model OR alias = :model)");
        }
        if (status != null) {
            where.append(status.equals("error") ? " AND status >= 400" : " AND status = :status");
        }
        long from = since(ctx, "from", 0);
        List<Map<String, Object>> rows = database.jdbi().withHandle(h -> {
            var query = h.createQuery("SELECT * FROM requests " + where + " ORDER BY created_at DESC LIMIT :limit")
                    .bind("from", from).bind("owner", caller.owner()).bind("limit", limit).bind("key", key).bind("model", model);
            if (status != null && !status.equals("error")) {
                try {
                    query.bind("status", Integer.parseInt(status));
                } catch (NumberFormatException e) {
                    throw ProblemException.badRequest("status must be a number or 'error'");
                }
            }
            return query.mapToMap().list();
        });
        ctx.json(Map.of("data", rows));
    }
}
