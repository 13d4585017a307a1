package io.orchestra.server.ui;

import io.orchestra.gateway.usage.KeyLimits;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.gateway.RequestLog;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * /ui/usage: cost by day, model and key over a time range (server-drawn SVG), and each key's
 * budgets, what is left of them, and its rate limits. Members see their owner's usage and keys.
 */
public final class UsagePage implements UiPage {
    private final RequestLog log;
    private final ApiKeyStore keys;
    private final Limits limits;
    private final Clock clock;

    public UsagePage(RequestLog log, ApiKeyStore keys, Limits limits, Clock clock) {
        this.log = log;
        this.keys = keys;
        this.limits = limits;
        this.clock = clock;
    }

    @Override public String path() { return "/ui/usage"; }
    @Override public String title() { return "Usage and budgets"; }
    @Override public boolean adminOnly() { return false; }

    @Override
    public void show(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        String rangeId = input.choice("range", "Time range", TimeRange.ids(TimeRange.USAGE), "30d");
        long now = clock.millis();
        long from = TimeRange.of(TimeRange.USAGE, rangeId).from(now);
        List<ApiKey> visible = keys.list().stream().filter(k -> request.user().isAdmin() || k.owner().equals(request.user().owner())).toList();
        Map<String, String> names = visible.stream().collect(Collectors.toMap(ApiKey::id, ApiKey::name, (a, b) -> a));

        List<Map<String, Object>> days = log.usage(request.user(), "day", from, Long.MAX_VALUE);
        List<UsageGroup> models = UsageGroup.of(log.usage(request.user(), "model", from, Long.MAX_VALUE), m -> m);
        List<UsageGroup> byKey = UsageGroup.of(log.usage(request.user(), "key", from, Long.MAX_VALUE), id -> names.getOrDefault(id, id));
        Map<String, Object> view = new HashMap<>();
        view.put("range", rangeId);
        view.put("ranges", TimeRange.USAGE);
        view.put("errors", input.errors());
        view.put("daily", dailyChart(days, from, now));
        view.put("models", models);
        view.put("keys", byKey);
        view.put("totalUsd", models.stream().mapToDouble(UsageGroup::costUsd).sum());
        view.put("totalRequests", models.stream().mapToLong(UsageGroup::requests).sum());
        view.put("budgets", visible.stream().filter(k -> !k.revoked()).map(this::budget).toList());
        request.page("usage.jte", title(), view);
    }

    private KeyBudget budget(ApiKey key) {
        KeyLimits l = limits.limits(key.id());
        Map<String, Double> spent = limits.spent(key.id());
        return new KeyBudget(key.name(), key.owner(), l.dailyBudgetUsd(), spent.getOrDefault("today", 0.0), l.monthlyBudgetUsd(),
                spent.getOrDefault("this_month", 0.0), l.requestsPerMinute(), l.tokensPerMinute());
    }

    /** One column per UTC day of the range, empty days included, so gaps show as gaps. */
    private static Charts.Chart dailyChart(List<Map<String, Object>> rows, long from, long now) {
        Map<String, Double> costByDay = new HashMap<>();
        rows.forEach(r -> costByDay.put(String.valueOf(r.get("grp")), UsageGroup.number(r, "cost_usd")));
        LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(from, 86_400_000L));
        LocalDate last = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneOffset.UTC);
        List<LocalDate> dates = first.datesUntil(last.plusDays(1)).toList();
        double max = costByDay.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double width = Charts.WIDTH / dates.size();
        List<Charts.Bar> bars = new ArrayList<>();
        for (int i = 0; i < dates.size(); i++) {
            double cost = costByDay.getOrDefault(dates.get(i).toString(), 0.0);
            double height = max == 0 ? 0 : Charts.HEIGHT * cost / max;
            bars.add(new Charts.Bar(i * width, Charts.HEIGHT - height, Math.max(width - 1, 0.5), height, dates.get(i) + ": " + UiFormat.usd(cost)));
        }
        return new Charts.Chart("Cost per day (UTC)", dates.getFirst() + " to " + dates.getLast(), bars);
    }
}
