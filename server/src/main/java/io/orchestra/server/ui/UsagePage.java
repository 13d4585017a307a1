package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.gateway.usage.KeyLimits;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.http.Access;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * /ui/usage: cost by day, model and key over a time range (server-drawn SVG), and each key's
 * budgets, what is left of them, and its rate limits. A key whose budget is spent (or nearly)
 * gets a warning on top: the budget, the spend, when it resets, and a link to its refused (429)
 * calls. Members see their owner's usage and keys.
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

    @Override
    public String path() {
        return "/ui/usage";
    }

    @Override
    public String title() {
        return "Usage and budgets";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        String rangeId = input.choice("range", "Time range", TimeRange.ids(TimeRange.USAGE), "30d");
        long now = clock.millis();
        long from = TimeRange.of(TimeRange.USAGE, rangeId).from(now);
        List<ApiKey> visible = OwnerScope.keysVisibleTo(keys, request.user());
        Map<String, String> names = visible.stream().collect(Collectors.toMap(ApiKey::id, ApiKey::name, (a, b) -> a));

        List<Map<String, Object>> days = log.usage(request.user(), "day", from, Long.MAX_VALUE);
        List<UsageGroup> models = UsageGroup.of(log.usage(request.user(), "model", from, Long.MAX_VALUE), m -> m);
        List<UsageGroup> byKey =
                UsageGroup.of(log.usage(request.user(), "key", from, Long.MAX_VALUE), id -> names.getOrDefault(id, id));
        Map<String, Object> view = new HashMap<>();
        view.put("range", rangeId);
        view.put("ranges", TimeRange.USAGE);
        view.put("errors", input.errors());
        view.put("daily", dailyChart(days, from, now));
        view.put("models", models);
        view.put("keys", byKey);
        view.put("totalUsd", models.stream().mapToDouble(UsageGroup::costUsd).sum());
        view.put(
                "totalRequests", models.stream().mapToLong(UsageGroup::requests).sum());
        view.put("saved", input.text("saved", "Saved", 200));
        List<KeyBudget> budgets =
                visible.stream().filter(k -> !k.revoked()).map(this::budget).toList();
        view.put("budgets", budgets);
        view.put("alerts", alerts(request, budgets, now));
        String logRange = TimeRange.ids(TimeRange.LOG).contains(rangeId) ? rangeId : "all";
        view.put("refusedRange", logRange);
        view.put("refused", log.count(request.user(), new RequestLog.Filter(null, null, "429", from, Long.MAX_VALUE)));
        request.page("usage.jte", title(), view);
    }

    /** A warning about one budget, with how many of the key's calls were refused (429) in its period. */
    public record BudgetAlert(KeyBudget.Warning warning, long refused) {}

    private List<BudgetAlert> alerts(UiRequest request, List<KeyBudget> budgets, long now) {
        List<BudgetAlert> out = new ArrayList<>();
        java.time.Instant instant = java.time.Instant.ofEpochMilli(now);
        for (KeyBudget budget : budgets) {
            for (KeyBudget.Warning w : budget.warnings(instant)) {
                LocalDate today = LocalDate.ofInstant(instant, ZoneOffset.UTC);
                LocalDate start = w.period() == KeyBudget.Period.DAY ? today : today.withDayOfMonth(1);
                long since = start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                out.add(new BudgetAlert(
                        w,
                        log.count(
                                request.user(), new RequestLog.Filter(w.keyId(), null, "429", since, Long.MAX_VALUE))));
            }
        }
        return out;
    }

    /** Admins change a key's budgets and rate limits here, judged by the same rules as PUT /api/keys/{id}/limits. */
    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get(
                "/ui/usage/limits/{id}",
                guard.signedIn(
                        true,
                        r -> key(r).ifPresent(key -> limitsForm(r, key, limits.limits(key.id()), FieldErrors.NONE))),
                Access.PUBLIC);
        routes.post(
                "/ui/usage/limits/{id}",
                guard.signedIn(true, r -> key(r).ifPresent(key -> saveLimits(r, key))),
                Access.PUBLIC);
    }

    private Optional<ApiKey> key(UiRequest request) {
        Optional<ApiKey> key = keys.find(request.ctx().pathParam("id"));
        if (key.isEmpty()) {
            UiNotice.notFound(
                    request, "Key not found", "There is no API key with this id.", "/ui/usage", "usage and budgets");
        }
        return key;
    }

    private void saveLimits(UiRequest request, ApiKey key) {
        // Field names double as labels so problems read like the API's ("daily_budget_usd: zero or more").
        UiInput input = UiInput.form(request.ctx());
        KeyLimits asked = new KeyLimits(
                input.decimal("daily_budget_usd", "daily_budget_usd"),
                input.decimal("monthly_budget_usd", "monthly_budget_usd"),
                input.whole("requests_per_minute", "requests_per_minute"),
                input.whole("tokens_per_minute", "tokens_per_minute"));
        List<String> problems = new ArrayList<>(input.errors());
        problems.addAll(asked.validate().errors());
        if (!problems.isEmpty()) {
            request.ctx().status(422);
            limitsForm(request, key, asked, new FieldErrors(problems));
            return;
        }
        limits.set(key.id(), asked);
        request.ctx().redirect("/ui/usage?saved=" + URLEncoder.encode(key.name(), StandardCharsets.UTF_8));
    }

    private void limitsForm(UiRequest request, ApiKey key, KeyLimits shown, FieldErrors errors) {
        Map<String, Object> view = new HashMap<>();
        view.put("key", key);
        view.put("limits", shown);
        view.put("errors", errors);
        request.page("usage-limits.jte", "Limits of " + key.name(), view);
    }

    private KeyBudget budget(ApiKey key) {
        KeyLimits l = limits.limits(key.id());
        Map<String, Double> spent = limits.spent(key.id());
        return new KeyBudget(
                key.id(),
                key.name(),
                key.owner(),
                l.dailyBudgetUsd(),
                spent.getOrDefault("today", 0.0),
                l.monthlyBudgetUsd(),
                spent.getOrDefault("this_month", 0.0),
                l.requestsPerMinute(),
                l.tokensPerMinute());
    }

    /** One column per UTC day of the range, empty days included, so gaps show as gaps. */
    private static Charts.Chart dailyChart(List<Map<String, Object>> rows, long from, long now) {
        Map<String, Double> costByDay = new HashMap<>();
        rows.forEach(r -> costByDay.put(String.valueOf(r.get("grp")), UsageGroup.number(r, "cost_usd")));
        LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(from, 86_400_000L));
        LocalDate last = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneOffset.UTC);
        List<LocalDate> dates = first.datesUntil(last.plusDays(1)).toList();
        double max = costByDay.values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        double width = Charts.WIDTH / dates.size();
        List<Charts.Bar> bars = new ArrayList<>();
        for (int i = 0; i < dates.size(); i++) {
            double cost = costByDay.getOrDefault(dates.get(i).toString(), 0.0);
            double height = max == 0 ? 0 : Charts.HEIGHT * cost / max;
            bars.add(new Charts.Bar(
                    i * width,
                    Charts.HEIGHT - height,
                    Math.max(width - 1, 0.5),
                    height,
                    dates.get(i) + ": " + UiFormat.usd(cost)));
        }
        return new Charts.Chart(
                "Cost per day (UTC)",
                dates.getFirst() + " to " + dates.getLast(),
                bars,
                UiFormat.usd(max),
                UiFormat.usd(max / 2),
                Charts.axis(dates.stream().map(LocalDate::toString).toList()));
    }
}
