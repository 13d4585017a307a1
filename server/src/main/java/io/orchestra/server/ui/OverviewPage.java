package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Principal;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.health.HealthService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /ui: health of every dependency (the same report as /api/health), tokens and cost today (the
 * caller's own for members, everyone's for admins) and, for admins, server-wide traffic charts.
 */
public final class OverviewPage implements UiPage {
    static final List<Integer> RANGES = List.of(15, 60, 360, 1440);

    private final HealthService health;
    private final TrafficStats traffic;
    private final RequestLog requests;
    private final Clock clock;

    public OverviewPage(HealthService health, TrafficStats traffic, RequestLog requests, Clock clock) {
        this.health = health;
        this.traffic = traffic;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public String path() {
        return "/ui";
    }

    @Override
    public String title() {
        return "Overview";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        request.page("overview.jte", title(), model(request));
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get(
                "/ui/overview/panel",
                guard.signedIn(false, r -> r.fragment("overview-panel.jte", model(r))),
                io.orchestra.server.http.Access.PUBLIC);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> model(UiRequest request) {
        int range = RANGES.contains(rangeParam(request)) ? rangeParam(request) : 60;
        Map<String, Object> report = health.report();
        Map<String, Map<String, Object>> checks =
                (Map<String, Map<String, Object>>) report.getOrDefault("components", Map.of());
        // Traffic is server-wide, so only admins see it; members see health only.
        List<TrafficStats.Minute> minutes = request.user().isAdmin() ? traffic.lastMinutes(range) : List.of();
        return Map.of(
                "status",
                String.valueOf(report.get("status")),
                "checks",
                checks,
                "range",
                range,
                "ranges",
                RANGES,
                "charts",
                Charts.of(minutes),
                "admin",
                request.user().isAdmin(),
                "today",
                Charts.today(today(request.user())));
    }

    /** Every UTC hour of today up to now, with zeros where nothing was spent. */
    private List<Charts.Hour> today(Principal user) {
        Instant now = clock.instant();
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
        Map<String, Map<String, Object>> byHour = new HashMap<>();
        for (Map<String, Object> row : requests.usage(user, "hour", midnight.toEpochMilli(), now.toEpochMilli() + 1)) {
            byHour.put(String.valueOf(row.get("grp")), row);
        }
        List<Charts.Hour> hours = new ArrayList<>();
        int currentHour = now.atZone(ZoneOffset.UTC).getHour();
        String day = midnight.toString().substring(0, 10);
        for (int h = 0; h <= currentHour; h++) {
            String key = day + (h < 10 ? " 0" : " ") + h;
            Map<String, Object> row = byHour.getOrDefault(key, Map.of());
            hours.add(new Charts.Hour(
                    key.substring(11),
                    number(row.get("prompt_tokens")) + number(row.get("completion_tokens")),
                    number(row.get("cost_usd"))));
        }
        return hours;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static int rangeParam(UiRequest request) {
        try {
            return Integer.parseInt(
                    request.ctx().queryParamAsClass("range", String.class).getOrDefault("60"));
        } catch (NumberFormatException e) {
            return 60;
        }
    }
}
