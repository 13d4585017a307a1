package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.server.health.HealthService;
import java.util.List;
import java.util.Map;

/** /ui: health of every dependency (the same report as /api/health) and traffic charts. */
public final class OverviewPage implements UiPage {
    static final List<Integer> RANGES = List.of(15, 60, 360, 1440);

    private final HealthService health;
    private final TrafficStats traffic;

    public OverviewPage(HealthService health, TrafficStats traffic) {
        this.health = health;
        this.traffic = traffic;
    }

    @Override public String path() { return "/ui"; }
    @Override public String title() { return "Overview"; }
    @Override public boolean adminOnly() { return false; }

    @Override
    public void show(UiRequest request) {
        request.page("overview.jte", title(), model(request));
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get("/ui/overview/panel", guard.signedIn(false, r -> r.fragment("overview-panel.jte", model(r))),
                io.orchestra.server.http.Access.PUBLIC);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> model(UiRequest request) {
        int range = RANGES.contains(rangeParam(request)) ? rangeParam(request) : 60;
        Map<String, Object> report = health.report();
        Map<String, Map<String, Object>> checks = (Map<String, Map<String, Object>>) report.getOrDefault("components", Map.of());
        // Traffic is server-wide, so only admins see it; members see health only.
        List<TrafficStats.Minute> minutes = request.user().isAdmin() ? traffic.lastMinutes(range) : List.of();
        return Map.of("status", String.valueOf(report.get("status")), "checks", checks,
                "range", range, "ranges", RANGES, "charts", Charts.of(minutes), "admin", request.user().isAdmin());
    }

    private static int rangeParam(UiRequest request) {
        try {
            return Integer.parseInt(request.ctx().queryParamAsClass("range", String.class).getOrDefault("60"));
        } catch (NumberFormatException e) {
            return 60;
        }
    }
}
