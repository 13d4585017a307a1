package io.orchestra.server.gateway;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.usage.KeyLimits;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Access;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** /api/routes (routes, providers, circuit state) and /api/keys/{id}/limits. */
public final class RouteAdminRoutes implements RouteGroup {
    private final Gateway gateway;
    private final ApiKeyStore keys;

    public RouteAdminRoutes(Gateway gateway, ApiKeyStore keys) {
        this.gateway = gateway;
        this.keys = keys;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/routes", this::list, Access.ADMIN);
        routes.get(
                "/api/routes/status",
                ctx -> ctx.json(Map.of(
                        "circuits",
                        gateway.breakers().statuses(),
                        "cache",
                        gateway.cache().kind(),
                        "semantic_cache",
                        gateway.semanticCache().kind(),
                        "limits",
                        gateway.limits().counters().kind(),
                        "config_problems",
                        gateway.config().lastProblems())),
                Access.ADMIN);
        routes.put("/api/routes/{alias}", this::save, Access.ADMIN);
        routes.delete(
                "/api/routes/{alias}",
                ctx -> {
                    if (!gateway.config().delete(Requests.pathId(ctx, "alias"))) {
                        throw ProblemException.notFound("no stored route '" + ctx.pathParam("alias")
                                + "' (routes from orchestra.yaml are edited there)");
                    }
                    ctx.status(204);
                },
                Access.ADMIN);
        routes.get("/api/keys/{id}/limits", ctx -> ctx.json(limitsView(Requests.pathId(ctx, "id"))), Access.ADMIN);
        routes.put("/api/keys/{id}/limits", this::setLimits, Access.ADMIN);
    }

    private void list(Context ctx) {
        GatewayConfig config = gateway.config().current();
        ObjectNode body = Json.object();
        var providers = body.putObject("providers");
        config.providers()
                .forEach((name, p) -> providers
                        .putObject(name)
                        .put("kind", p.kind())
                        .put("base_url", io.orchestra.core.config.Secrets.maskUrl(p.baseUrl()))
                        .put("has_key", p.hasKey()));
        body.set("routes", Json.mapper().valueToTree(config.routes()));
        ctx.json(body);
    }

    private void save(Context ctx) {
        String alias = Requests.pathId(ctx, "alias");
        JsonNode body = Bodies.tree(ctx);
        if (!body.isObject()) {
            throw ProblemException.badRequest("the route must be a JSON object");
        }
        ((ObjectNode) body).put("alias", alias);
        List<String> problems = gateway.config().save(body);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        ctx.json(body);
    }

    public record LimitsRequest(
            Double daily_budget_usd,
            Double monthly_budget_usd,
            Integer requests_per_minute,
            Integer tokens_per_minute) {}

    private void setLimits(Context ctx) {
        String id = Requests.pathId(ctx, "id");
        keys.find(id).orElseThrow(() -> ProblemException.notFound("no API key with id '" + id + "'"));
        LimitsRequest request = Bodies.read(ctx, LimitsRequest.class);
        KeyLimits limits = new KeyLimits(
                request.daily_budget_usd(),
                request.monthly_budget_usd(),
                request.requests_per_minute(),
                request.tokens_per_minute());
        limits.validate().throwIfInvalid();
        gateway.limits().set(id, limits);
        ctx.json(limitsView(id));
    }

    private Map<String, Object> limitsView(String keyId) {
        keys.find(keyId).orElseThrow(() -> ProblemException.notFound("no API key with id '" + keyId + "'"));
        KeyLimits limits = gateway.limits().limits(keyId);
        java.util.LinkedHashMap<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("key_id", keyId);
        view.put("daily_budget_usd", limits.dailyBudgetUsd());
        view.put("monthly_budget_usd", limits.monthlyBudgetUsd());
        view.put("requests_per_minute", limits.requestsPerMinute());
        view.put("tokens_per_minute", limits.tokensPerMinute());
        view.put("spent_usd", gateway.limits().spent(keyId));
        return view;
    }
}
