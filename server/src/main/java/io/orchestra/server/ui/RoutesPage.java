package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.RouteConfig;
import io.orchestra.gateway.config.Target;
import io.orchestra.gateway.routing.CircuitBreakers;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.http.Access;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /ui/routes (admins): providers, routes with their targets and each target's circuit breaker,
 * recent failed calls from the request log, and a route editor that saves through the same
 * GatewayConfigSource.save as PUT /api/routes/{alias}, so the same rules judge it.
 */
public final class RoutesPage implements UiPage {
    static final int RECENT_ERRORS = 20;

    public record ProviderView(String name, String kind, String baseUrl, boolean hasKey) {}

    public record TargetView(Target target, String state, int recentFailures, long openedAtMillis) {}

    public record RouteView(RouteConfig route, String condition, boolean stored, List<TargetView> targets) {}

    private final Gateway gateway;
    private final RequestLog log;

    public RoutesPage(Gateway gateway, RequestLog log) {
        this.gateway = gateway;
        this.log = log;
    }

    @Override
    public String path() {
        return "/ui/routes";
    }

    @Override
    public String title() {
        return "Routes";
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public void show(UiRequest request) {
        GatewayConfig config = gateway.config().current();
        Map<String, CircuitBreakers.Status> circuits = gateway.breakers().statuses();
        Set<String> stored = gateway.config().storedAliases();
        Map<String, Object> model = new HashMap<>();
        model.put(
                "providers",
                config.providers().values().stream()
                        .map(p -> new ProviderView(
                                p.name(), p.kind(), io.orchestra.core.config.Secrets.maskUrl(p.baseUrl()), p.hasKey()))
                        .toList());
        model.put(
                "routes",
                config.routes().stream()
                        .map(r -> new RouteView(
                                r,
                                condition(r.when()),
                                stored.contains(r.alias()),
                                r.targets().stream()
                                        .map(t -> target(t, circuits.get(t.key())))
                                        .toList()))
                        .toList());
        model.put("circuits", circuits);
        model.put("problems", gateway.config().lastProblems());
        model.put("errors", log.recentErrors(RECENT_ERRORS));
        model.put(
                "saved", request.ctx().queryParamAsClass("saved", String.class).getOrDefault(""));
        model.put(
                "reset", request.ctx().queryParamAsClass("reset", String.class).getOrDefault(""));
        request.page("routes.jte", "Routes and providers", model);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        // Aliases may hold "/" (provider/model style), so they travel as parameters, not path segments.
        routes.get("/ui/routes/edit", guard.signedIn(true, this::editor), Access.PUBLIC);
        routes.post("/ui/routes/edit", guard.signedIn(true, this::save), Access.PUBLIC);
        routes.post(
                "/ui/routes/reset",
                guard.signedIn(true, r -> {
                    String alias =
                            r.ctx().formParamAsClass("alias", String.class).getOrDefault("");
                    boolean removed = gateway.config().delete(alias);
                    r.ctx().redirect("/ui/routes" + (removed ? "?reset=" + encode(alias) : ""));
                }),
                Access.PUBLIC);
    }

    private void editor(UiRequest request) {
        String alias = request.ctx().queryParamAsClass("alias", String.class).getOrDefault("");
        RouteForm form = gateway.config().current().routes().stream()
                .filter(r -> r.alias().equals(alias))
                .findFirst()
                .map(RouteForm::of)
                .orElse(RouteForm.empty());
        render(request, form, !alias.isEmpty() && !form.alias().isEmpty(), FieldErrors.NONE);
    }

    private void save(UiRequest request) {
        RouteForm form = RouteForm.from(request.ctx());
        List<String> problems = gateway.config().save(form.toDefinition());
        if (!problems.isEmpty()) {
            // 200: a form asking for corrections is a normal page (see PersonasPage).
            render(
                    request,
                    form.withSpareRows(),
                    request.ctx().formParam("existing") != null,
                    new FieldErrors(problems));
            return;
        }
        request.ctx().redirect("/ui/routes?saved=" + encode(form.alias()));
    }

    private void render(UiRequest request, RouteForm form, boolean existing, FieldErrors errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("form", form);
        model.put("existing", existing);
        model.put("errors", errors);
        model.put(
                "providers",
                gateway.config().current().providers().keySet().stream()
                        .sorted()
                        .toList());
        model.put(
                "variants",
                gateway.config().current().routes().stream()
                        .filter(r -> r.alias().equals(form.alias()))
                        .count());
        request.page("route-edit.jte", existing ? "Edit route " + form.alias() : "New route", model);
    }

    private static TargetView target(Target t, CircuitBreakers.Status status) {
        return status == null
                ? new TargetView(t, "closed", 0, 0)
                : new TargetView(
                        t,
                        status.state().name().toLowerCase(java.util.Locale.ROOT),
                        status.recentFailures(),
                        status.openedAtMillis());
    }

    private static String condition(RouteConfig.Condition when) {
        if (when == null) {
            return "";
        }
        return when.header() != null ? "header " + when.header() + " = " + when.equals() : "key tag " + when.keyTag();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
