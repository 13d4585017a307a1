package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Principal;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.health.HealthService;
import io.orchestra.server.health.ProviderHealth;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /ui: health of every dependency and provider (the same report as /api/health), today's headline
 * numbers and tokens and cost per hour (the caller's own for members, everyone's for admins) and, for
 * admins, server-wide traffic charts.
 */
public final class OverviewPage implements UiPage {
    static final List<Integer> RANGES = List.of(15, 60, 360, 1440);
    /** The health report's component that {@link ProviderHealth} fills; shown one line per provider. */
    private static final String PROVIDERS = "providers";

    private final HealthService health;
    private final ProviderHealth providers;
    private final TrafficStats traffic;
    private final RequestLog requests;
    private final Clock clock;

    public OverviewPage(
            HealthService health, ProviderHealth providers, TrafficStats traffic, RequestLog requests, Clock clock) {
        this.health = health;
        this.providers = providers;
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
                new LinkedHashMap<>((Map<String, Map<String, Object>>) report.getOrDefault("components", Map.of()));
        checks.remove(PROVIDERS);
        // Traffic is server-wide, so only admins see it; members see health and their own numbers.
        List<TrafficStats.Minute> minutes = request.user().isAdmin() ? traffic.lastMinutes(range) : List.of();
        Today today = today(request.user());
        Map<String, Object> model = new HashMap<>();
        model.put("status", String.valueOf(report.get("status")));
        model.put("checks", checks);
        model.put("providers", providers.providers());
        model.put("headlines", today.headlines());
        model.put("range", range);
        model.put("ranges", RANGES);
        model.put("charts", Charts.of(minutes));
        model.put("admin", request.user().isAdmin());
        model.put("today", Charts.today(today.hours()));
        return model;
    }

    private record Today(List<Charts.Hour> hours, Headlines headlines) {}

    /** Every UTC hour of today up to now (zeros where nothing was spent), and today's totals. */
    private Today today(Principal user) {
        Instant now = clock.instant();
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
        long from = midnight.toEpochMilli();
        long to = now.toEpochMilli() + 1;
        Map<String, Map<String, Object>> byHour = new HashMap<>();
        double cost = 0;
        long calls = 0;
        long errors = 0;
        for (Map<String, Object> row : requests.usage(user, "hour", from, to)) {
            byHour.put(String.valueOf(row.get("grp")), row);
            cost += number(row.get("cost_usd"));
            calls += (long) number(row.get("requests"));
            errors += (long) number(row.get("errors"));
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
        Double p95 = requests.latencyQuantile(user, from, to, 0.95).orElse(null);
        return new Today(hours, new Headlines(cost, calls, errors, p95));
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
